package io.geolightning.tiling.labels;

import java.util.Locale;

/** What the labels become: one class per chip, one class per pixel, or nothing (prediction chips). */
public enum LabelTask {
    CLASSIFICATION, SEGMENTATION, NONE;

    /** @return the lower-case id written to the sidecar */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
