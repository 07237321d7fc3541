package io.geolightning.tiling.data;

import java.util.List;

/** A {@link ChipSource} over samples already in memory (pixels kept in their compact raw form). */
public final class ListChipSource implements ChipSource {
    private final List<ChipSample> samples;

    /** @param samples the samples (copied as a list, not deeply) */
    public ListChipSource(List<ChipSample> samples) {
        this.samples = List.copyOf(samples);
    }

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public ChipSample get(int index) {
        return samples.get(index);
    }
}
