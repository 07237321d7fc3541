package io.geolightning.tiling;

import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoTransform;
import io.geolightning.geo.PixelWindow;
import io.geolightning.tiling.splits.ItemSequence;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The chips a {@link ChipGrid} places on one raster, made on demand from their column and row rather than listed:
 * only the chip origins along x and along y are held, so a 200,000 x 200,000 pixel raster's 156 million 16 px chips
 * cost two arrays of 12,500 numbers. Chip {@code i} is column {@code i % columns()} of row {@code i / columns()}
 * (row by row, from the top-left). Immutable.
 */
public final class GridChips implements ItemSequence.Grid<Chip> {
    private final GdalPath scene;
    private final String stem;
    private final GeoTransform transform;
    private final int size;
    private final int[] xs;
    private final int[] ys;

    /**
     * @param scene the raster
     * @param transform its geotransform
     * @param size chip side in pixels
     * @param xs chip origins along x (columns), ascending
     * @param ys chip origins along y (rows), ascending
     */
    GridChips(GdalPath scene, GeoTransform transform, int size, int[] xs, int[] ys) {
        this.scene = scene;
        this.stem = ChipGrid.stem(scene);
        this.transform = transform;
        this.size = size;
        this.xs = xs.clone();
        this.ys = ys.clone();
    }

    @Override
    public int columns() {
        return xs.length;
    }

    @Override
    public int rows() {
        return ys.length;
    }

    @Override
    public Chip item(int column, int row) {
        int x = xs[column];
        int y = ys[row];
        PixelWindow w = new PixelWindow(x, y, size, size);
        return new Chip(stem + "_x" + x + "_y" + y, scene, w, transform.footprint(w).getEnvelopeInternal());
    }

    @Override
    public boolean axisAligned() {
        return !transform.hasRotation();
    }

    /**
     * The chips as an unmodifiable list that makes each chip when it is read.
     *
     * @throws TilingException when there are more chips than a list can index
     */
    public List<Chip> asList() {
        long n = size();
        if (n > Integer.MAX_VALUE) {
            throw new TilingException(scene.fileName() + ": " + n + " chips are more than a list can hold; iterate"
                    + " them by index (GridChips.get), or use a larger chip size or stride");
        }
        return new Listed((int) n);
    }

    private final class Listed extends AbstractList<Chip> implements RandomAccess {
        private final int n;

        Listed(int n) {
            this.n = n;
        }

        @Override
        public Chip get(int index) {
            if (index < 0 || index >= n) {
                throw new IndexOutOfBoundsException(index);
            }
            return GridChips.this.get(index);
        }

        @Override
        public int size() {
            return n;
        }
    }
}
