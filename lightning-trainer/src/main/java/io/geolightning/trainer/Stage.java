package io.geolightning.trainer;

/** What the {@link Trainer} is about to run; passed to {@link LightningDataModule#setup(Stage)}. */
public enum Stage {
    /** {@link Trainer#fit}: training plus validation. */
    FIT,
    /** {@link Trainer#validate}. */
    VALIDATE,
    /** {@link Trainer#test}. */
    TEST,
    /** {@link Trainer#predict}. */
    PREDICT
}
