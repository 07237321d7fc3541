package io.geolightning.tiling.splits;

/**
 * One spatial block of a scene: column {@code bx} and row {@code by} of a regular grid of blocks.
 *
 * @param scene the scene the block belongs to
 * @param bx block column
 * @param by block row
 */
public record BlockKey(String scene, long bx, long by) implements Comparable<BlockKey> {
    @Override
    public int compareTo(BlockKey o) {
        int c = scene.compareTo(o.scene);
        if (c != 0) {
            return c;
        }
        c = Long.compare(by, o.by);
        return c != 0 ? c : Long.compare(bx, o.bx);
    }
}
