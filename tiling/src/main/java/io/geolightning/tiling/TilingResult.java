package io.geolightning.tiling;

import io.geolightning.tiling.store.ChipStoreMetadata;

/**
 * What a tiling run did.
 *
 * @param metadata the sidecar written with the store
 * @param candidates chips placed by the grid or sampler
 * @param written chips written to the store
 * @param skippedNodata chips skipped for too much nodata
 * @param skippedUnlabelled chips skipped because no class applied (classification without background)
 * @param droppedNegatives negative chips dropped by negative sampling
 * @param droppedBySplit chips dropped because they straddle blocks of different splits
 * @param seconds wall time
 */
public record TilingResult(ChipStoreMetadata metadata, long candidates, long written, long skippedNodata,
                           long skippedUnlabelled, long droppedNegatives, long droppedBySplit, double seconds) {

    /** @return chips written per second */
    public double chipsPerSecond() {
        return seconds > 0 ? written / seconds : 0;
    }
}
