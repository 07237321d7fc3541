/**
 * Tiling: TorchGeo's datasets, samplers and data modules for the JVM.
 * <p>The flow: a {@link io.geolightning.tiling.TilingConfig} names scenes, labels
 * ({@link io.geolightning.tiling.labels.LabelConfig}), chip placement ({@link io.geolightning.tiling.ChipGrid} or
 * {@link io.geolightning.tiling.RandomChipSampler}), filters and a split
 * ({@link io.geolightning.tiling.splits.SplitConfig}); {@link io.geolightning.tiling.Tiler} cuts the chips and writes
 * them, with the training split's {@link io.geolightning.tiling.stats.BandStatistics}, into a Parquet chip store
 * ({@link io.geolightning.tiling.store}); {@link io.geolightning.tiling.data.SatelliteDataModule} runs this once and
 * serves DJL datasets ({@link io.geolightning.tiling.data.ChipLoader}) per stage. Pre-chipped class folders go through
 * {@link io.geolightning.tiling.data.ImageFolderDataModule}. Errors are {@link io.geolightning.tiling.TilingException}s
 * whose message is one line: the file or value, the problem, the fix.
 */
package io.geolightning.tiling;
