package io.geolightning.app.run;

import io.geolightning.tiling.data.ChipDataModule;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.store.ChipCursor;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.tiling.store.ChipStoreSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The classes a chip store's validation split holds (a chip's label, or any pixel of its mask), read from its label
 * columns alone: a class it lacks has no recall, and its precision, F1 and IoU are 0 or undefined, at every
 * validation, so a callback cannot monitor them.
 */
final class ValidationClasses {

    private ValidationClasses() {
    }

    /**
     * @param data the run's data, set up
     * @return the class ids in its validation split, or null when it is not read from chip stores (image folders
     *     split each class on its own)
     */
    static Set<Integer> of(ChipDataModule data) {
        if (!(data instanceof SatelliteDataModule sdm)) {
            return null;
        }
        int ignore = sdm.metadata().maskIgnoreValue();
        Set<Integer> ids = new TreeSet<>();
        for (Path store : sdm.config().stores()) {
            ChipStoreReader reader = ChipStoreReader.open(store);
            try (ChipCursor c = reader.rows(List.of(ChipStoreSchema.SPLIT, ChipStoreSchema.LABEL, ChipStoreSchema.MASK,
                    ChipStoreSchema.WIDTH, ChipStoreSchema.HEIGHT))) {
                while (c.hasNext()) {
                    ChipRow r = c.next();
                    if (r.split() != Split.VAL) {
                        continue;
                    }
                    if (r.mask() != null) {
                        for (byte b : r.mask()) {
                            ids.add(b & 0xFF);
                        }
                    } else if (r.label() != null) {
                        ids.add(r.label());
                    }
                }
            }
        }
        ids.remove(ignore);
        return ids;
    }
}
