package io.geolightning.models.predict;

/** Whether and how {@link ScenePredictor} writes the per-class probability raster. */
public enum ProbabilityOutput {
    /** No probability raster. */
    NONE,
    /** One float32 band per class, values 0..1, nodata NaN. */
    FLOAT32,
    /** One uint8 band per class, percent 0..100, nodata 255 (a quarter of the float32 size). */
    UINT8_PERCENT
}
