package io.geolightning.tiling.splits;

import java.util.List;

/**
 * Spatial items of one scene, produced on demand by position rather than held in a list, so that a scene may have
 * more items than fit in memory (e.g. every chip of a 200,000 x 200,000 pixel raster).
 *
 * @param <T> item type
 */
public interface ItemSequence<T extends SpatialItem> {
    /** @return the number of items */
    long size();

    /** @return item {@code index}, 0 &lt;= index &lt; {@link #size()}; the same item for the same index */
    T get(long index);

    /** @return the items of a list, in order (the list is copied) */
    static <T extends SpatialItem> ItemSequence<T> of(List<T> items) {
        List<T> copy = List.copyOf(items);
        return new ItemSequence<>() {
            @Override
            public long size() {
                return copy.size();
            }

            @Override
            public T get(long index) {
                return copy.get(Math.toIntExact(index));
            }
        };
    }

    /**
     * Items laid out as a grid, row by row (item {@code index} is column {@code index % columns()} of row
     * {@code index / columns()}), where an item's column alone fixes its x extent and its row alone its y extent
     * when {@link #axisAligned()}. The spatial splitter then counts items per block column and block row instead of
     * visiting every item.
     *
     * @param <T> item type
     */
    interface Grid<T extends SpatialItem> extends ItemSequence<T> {
        /** @return items per row */
        int columns();

        /** @return rows of items */
        int rows();

        /** @return the item at {@code column}, {@code row} */
        T item(int column, int row);

        /** @return true when the grid is not rotated in its CRS (map x depends on the column only, y on the row) */
        boolean axisAligned();

        @Override
        default long size() {
            return (long) columns() * rows();
        }

        @Override
        default T get(long index) {
            return item((int) (index % columns()), (int) (index / columns()));
        }
    }
}
