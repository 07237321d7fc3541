/** Nodata-aware per-band statistics (count, mean, std, min, max), computed on the training split only. */
package io.geolightning.tiling.stats;
