package io.geolightning.models.nn;

/** What a network predicts: one label per chip, or one label per pixel. */
public enum TaskKind {
    /** Output N x C logits: one class per chip. */
    CLASSIFICATION,
    /** Output N x C x H x W logits: one class per pixel. */
    SEGMENTATION
}
