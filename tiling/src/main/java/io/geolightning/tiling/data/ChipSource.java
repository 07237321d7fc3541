package io.geolightning.tiling.data;

/**
 * Random access to samples, the input of a {@link ChipLoader}. {@link #get} may do real work (decoding a JPEG,
 * copying pixels) and is called from the loader's worker threads, so implementations must be thread-safe.
 */
public interface ChipSource {
    /** @return number of samples */
    int size();

    /** @return sample {@code index} (0-based) */
    ChipSample get(int index);
}
