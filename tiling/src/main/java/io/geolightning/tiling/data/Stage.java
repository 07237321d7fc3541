package io.geolightning.tiling.data;

/** Lightning's stages: which loaders {@link DataModule#setup(Stage)} makes ready. */
public enum Stage {
    /** train and validation loaders */
    FIT,
    /** validation loader */
    VALIDATE,
    /** test loader */
    TEST,
    /** prediction loader */
    PREDICT
}
