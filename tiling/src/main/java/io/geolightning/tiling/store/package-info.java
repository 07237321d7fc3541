/**
 * The Parquet chip store: one row per chip (ids, pixel window, bounds, split, label or mask, raw pixels), one file or a
 * folder of parts, plus a JSON sidecar ({@link io.geolightning.tiling.store.ChipStoreMetadata}). Written and read with
 * parquet-hadoop and no Hadoop on disk (local files, {@link io.geolightning.tiling.store.LocalCodecFactory}); readers
 * stream one row group at a time. Any Parquet reader can open it (the tests check with hyparquet).
 */
package io.geolightning.tiling.store;
