package io.geolightning.geo;

/**
 * How a raster's pixels are stored against the map. Most rasters are north-up: row 0 is the northern edge and
 * column 0 the western one. Some are stored mirrored: south-up (a positive pixel height, common in rasters converted
 * from netCDF or HDF) or east-to-west (a negative pixel width). A {@link GeoRaster} presents a mirrored raster
 * north-up, as {@code gdalwarp} would lay it out on its own grid without resampling: its geotransform is the
 * north-up one of the same pixels, and each window read is taken from the stored rows (or columns) it covers and
 * reversed. So chips cut from it, and a model's prediction of it, face north like every other raster's. A rotated
 * geotransform is left as it is.
 *
 * @param flipX columns are stored east to west
 * @param flipY rows are stored south to north
 * @param width the raster's width in pixels
 * @param height the raster's height in pixels
 */
record StoredOrientation(boolean flipX, boolean flipY, int width, int height) {

    /**
     * @param gt the geotransform as stored (GDAL's six values)
     * @param width the raster's width
     * @param height the raster's height
     * @return how the raster is stored
     */
    static StoredOrientation of(GeoTransform gt, int width, int height) {
        boolean plain = !gt.hasRotation();
        return new StoredOrientation(plain && gt.pixelWidth() < 0, plain && gt.pixelHeight() > 0, width, height);
    }

    /** @return true when the raster is stored mirrored (south-up or east-to-west) */
    boolean mirrored() {
        return flipX || flipY;
    }

    /**
     * @param stored the geotransform as stored
     * @return the geotransform of the same pixels laid out north-up (west to east)
     */
    GeoTransform northUp(GeoTransform stored) {
        if (!mirrored()) {
            return stored;
        }
        double originX = flipX ? stored.originX() + width * stored.pixelWidth() : stored.originX();
        double originY = flipY ? stored.originY() + height * stored.pixelHeight() : stored.originY();
        return new GeoTransform(originX, flipX ? -stored.pixelWidth() : stored.pixelWidth(), 0, originY, 0,
                flipY ? -stored.pixelHeight() : stored.pixelHeight());
    }

    /**
     * @param presented a window in the north-up layout (it may reach outside the raster)
     * @return the same pixels' window in the stored layout
     */
    PixelWindow stored(PixelWindow presented) {
        if (!mirrored()) {
            return presented;
        }
        int x = flipX ? width - presented.x() - presented.width() : presented.x();
        int y = flipY ? height - presented.y() - presented.height() : presented.y();
        return new PixelWindow(x, y, presented.width(), presented.height());
    }

    /**
     * Reverses, in place, the rows and/or columns of each band of a window read in the stored layout, so that it is
     * in the north-up layout.
     *
     * @param array a sample array ({@link SampleArrays}) or a {@code boolean[]}, band after band, row-major
     * @param bands the number of bands in it
     * @param w the window's width
     * @param h the window's height
     */
    void toNorthUp(Object array, int bands, int w, int h) {
        if (!mirrored()) {
            return;
        }
        Object row = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), w);
        for (int b = 0; b < bands; b++) {
            int base = b * w * h;
            if (flipY) {
                for (int top = 0, bottom = h - 1; top < bottom; top++, bottom--) {
                    System.arraycopy(array, base + top * w, row, 0, w);
                    System.arraycopy(array, base + bottom * w, array, base + top * w, w);
                    System.arraycopy(row, 0, array, base + bottom * w, w);
                }
            }
            if (flipX) {
                for (int r = 0; r < h; r++) {
                    reverse(array, base + r * w, w);
                }
            }
        }
    }

    /** Reverses {@code n} elements of a primitive array from {@code from}, one column at a time. */
    private static void reverse(Object array, int from, int n) {
        Object column = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), 1);
        for (int i = from, j = from + n - 1; i < j; i++, j--) {
            System.arraycopy(array, i, column, 0, 1);
            System.arraycopy(array, j, array, i, 1);
            System.arraycopy(column, 0, array, j, 1);
        }
    }
}
