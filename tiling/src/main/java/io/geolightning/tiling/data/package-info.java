/**
 * Lightning data modules of chips ({@link io.geolightning.tiling.data.ChipDataModule}, a trainer
 * {@code LightningDataModule}) and the DJL dataset that batches chips ({@link io.geolightning.tiling.data.ChipLoader}:
 * NCHW float32 normalised with training statistics, int64 labels or masks, seeded shuffling per epoch, worker-thread
 * decoding with a bounded prefetch, flips/rot90 on image and mask).
 */
package io.geolightning.tiling.data;
