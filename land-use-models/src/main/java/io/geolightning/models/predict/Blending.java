package io.geolightning.models.predict;

/** How overlapping windows are combined into one prediction per pixel. */
public enum Blending {
    /**
     * Weighted average of the windows' probabilities with a weight that ramps smoothly (raised cosine) from near 0
     * at a window's edge to 1 at {@code overlap} pixels inside: no seams, and pixels near a window edge (where a
     * convolutional network sees zero padding) count least.
     */
    TAPERED,
    /** Each pixel takes the window whose central part covers it (central-crop stitching). */
    CENTRAL_CROP,
    /** Plain average of every window covering the pixel. */
    UNIFORM
}
