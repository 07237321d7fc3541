/**
 * Train/val/test assignment: spatial blocks (metres, map units or chips; no block shared between splits), random
 * (optionally stratified) for non-spatial data, and spatial-block k-fold cross-validation. Deterministic from a seed.
 */
package io.geolightning.tiling.splits;
