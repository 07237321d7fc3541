package io.geolightning.geo;

/** The natural block (tile or strip) size of a raster band in pixels: reads aligned to it are cheapest. */
public record BlockSize(int width, int height) {
}
