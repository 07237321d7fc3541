/**
 * Labels from vector files, reprojected to each raster's CRS: a class per chip (largest area, optional minimum
 * coverage, background or skip) or a per-pixel mask burnt by geo-io's Rasterizer (ignore value kept).
 */
package io.geolightning.tiling.labels;
