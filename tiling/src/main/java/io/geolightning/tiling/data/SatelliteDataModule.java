package io.geolightning.tiling.data;

import io.geolightning.geo.GdalPath;
import io.geolightning.tiling.Tiler;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SpatialKFold;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.store.ChipCursor;
import io.geolightning.tiling.store.ChipRow;
import io.geolightning.tiling.store.ChipStoreLayout;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.tiling.store.ChipStoreSchema;
import io.geolightning.tiling.store.InputFingerprint;
import io.geolightning.tiling.store.SidecarJson;
import io.geolightning.trainer.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TorchGeo-style data module over scenes and labels: {@link #prepareData()} tiles them once into a Parquet chip store
 * (skipped when the store is current: same configuration hash and unchanged input sizes/mtimes), {@link #setup}
 * loads the splits a stage needs, and the loaders batch them normalised with the training statistics. Also works on
 * an existing chip store without any tiling configuration.
 */
public final class SatelliteDataModule implements ChipDataModule {
    private static final Logger LOG = LoggerFactory.getLogger(SatelliteDataModule.class);

    private final Config config;
    private ChipStores stores;
    private ChipStoreMetadata metadata;
    private final Map<Split, List<ChipSample>> samples = new EnumMap<>(Split.class);
    private final Map<Split, List<ChipRow>> chips = new EnumMap<>(Split.class);
    private final Set<Split> streamed = EnumSet.noneOf(Split.class);
    private boolean tiledThisRun;
    private BandNormalization declared;

    /**
     * Configuration.
     *
     * @param tiling how to tile, or null to use existing stores
     * @param store the chip store (the tiling config's store when tiling)
     * @param moreStores further chip stores read with {@code store} as one dataset (see {@link ChipStores})
     * @param loader training loader configuration (evaluation loaders drop shuffle, augmentation and dropLast); its
     *               {@code streaming} setting decides whether the stores are read into memory or streamed
     * @param statistics normalisation statistics overriding the store's (e.g. a training store's for a prediction
     *                   store), or null
     */
    public record Config(TilingConfig tiling, Path store, List<Path> moreStores, LoaderConfig loader,
                         BandStatistics statistics) {
        /** Validates. */
        public Config {
            if (tiling != null) {
                store = tiling.store();
            }
            if (store == null) {
                throw new TilingException("satellite data module: neither a tiling configuration nor a chip store;"
                        + " pass one of them");
            }
            moreStores = moreStores == null ? List.of() : List.copyOf(moreStores);
            if (loader == null) {
                loader = LoaderConfig.builder().build();
            }
        }

        /** Tiles with {@code tiling} (into its store) and loads with {@code loader}. */
        public static Config tile(TilingConfig tiling, LoaderConfig loader) {
            return new Config(tiling, null, List.of(), loader, null);
        }

        /** Uses an existing chip store (a ".parquet" file or a folder of parts, e.g. a Spark tile job's). */
        public static Config store(Path store, LoaderConfig loader) {
            return new Config(null, store, List.of(), loader, null);
        }

        /** Uses several existing chip stores as one dataset. */
        public static Config stores(List<Path> stores, LoaderConfig loader) {
            if (stores.isEmpty()) {
                throw new TilingException("satellite data module: no chip store given; pass at least one");
            }
            return new Config(null, stores.get(0), stores.subList(1, stores.size()), loader, null);
        }

        /** @return every store read, {@code store} first */
        public List<Path> stores() {
            List<Path> all = new ArrayList<>();
            all.add(store);
            all.addAll(moreStores);
            return all;
        }

        /** @return a copy normalising with other statistics */
        public Config withStatistics(BandStatistics s) {
            return new Config(tiling, store, moreStores, loader, s);
        }
    }

    /** @param config the configuration */
    public SatelliteDataModule(Config config) {
        this.config = config;
    }

    /** @return the configuration */
    public Config config() {
        return config;
    }

    /** @return true when the last {@link #prepareData()} had to tile (false: the store was current) */
    public boolean tiledThisRun() {
        return tiledThisRun;
    }

    @Override
    public void prepareData() {
        tiledThisRun = false;
        if (config.tiling() == null) {
            open();
            return;
        }
        String why = staleness();
        if (why == null) {
            LOG.info("chip store {} is current; not tiling again", config.store());
        } else {
            LOG.info("tiling into {} ({})", config.store(), why);
            Tiler.run(config.tiling());
            tiledThisRun = true;
        }
        open();
    }

    private void open() {
        stores = ChipStores.open(config.stores());
        metadata = stores.metadata();
    }

    /** @return null when the store is current, else why it is not */
    private String staleness() {
        ChipStoreLayout layout = new ChipStoreLayout(config.store());
        if (!Files.exists(layout.sidecar())) {
            return "no store yet";
        }
        ChipStoreMetadata m;
        try {
            m = SidecarJson.readIfExists(layout.sidecar());
        } catch (TilingException e) {
            return "unreadable sidecar";
        }
        if (m == null || !Tiler.configHash(config.tiling()).equals(m.configHash())) {
            return "tiling configuration changed";
        }
        if (m.inputs() == null) {
            return "no input fingerprints";
        }
        for (InputFingerprint f : m.inputs()) {
            GdalPath p = GdalPath.of(f.path());
            Path onDisk = p.isVirtual() ? p.localArchive().orElse(null) : p.local();
            if (onDisk != null && !Files.exists(onDisk)) {
                return "input " + onDisk + " is gone";
            }
            if (!f.unchecked() && !InputFingerprint.of(p).equals(f)) {
                return "input " + p.fileName() + " changed";
            }
        }
        try {
            ChipStoreReader.open(config.store());
        } catch (TilingException e) {
            return "store unreadable: " + e.getMessage();
        }
        return null;
    }

    @Override
    public void setup(Stage stage) {
        if (metadata == null) {
            prepareData();
        }
        Set<Split> need = switch (stage) {
            case FIT -> EnumSet.of(Split.TRAIN, Split.VAL);
            case VALIDATE -> EnumSet.of(Split.VAL);
            case TEST -> EnumSet.of(Split.TEST);
            case PREDICT -> EnumSet.of(Split.PREDICT);
        };
        need.removeAll(samples.keySet());
        need.removeAll(streamed);
        if (need.isEmpty()) {
            return;
        }
        if (stores.streams(config.loader().streaming())) {
            streamed.addAll(need);
            LOG.info("chip store {}: streaming {} for stage {} ({} MB of chip files)", stores.describe(), need, stage,
                    stores.fileBytes() >> 20);
            return;
        }
        boolean predictFallback = need.contains(Split.PREDICT) && metadata.rows(Split.PREDICT.id()) == 0;
        need.forEach(s -> {
            samples.put(s, new ArrayList<>());
            chips.put(s, new ArrayList<>());
        });
        for (ChipStoreReader reader : stores.readers()) {
            try (ChipCursor c = reader.rows()) {
                while (c.hasNext()) {
                    ChipRow r = c.next();
                    if (need.contains(r.split())) {
                        add(r.split(), r);
                    }
                    if (predictFallback && r.split() != Split.PREDICT) {
                        add(Split.PREDICT, r);
                    }
                }
            }
        }
        LOG.info("chip store {}: loaded {} for stage {}", stores.describe(), need, stage);
    }

    /** @return the splits whose rows a split's loader delivers: itself, or every row for a store without predict rows */
    private Set<Split> rowsOf(Split split) {
        return split == Split.PREDICT && metadata.rows(Split.PREDICT.id()) == 0 ? null : EnumSet.of(split);
    }

    private void add(Split s, ChipRow r) {
        samples.get(s).add(new ChipSample(r.pixels(), r.dtype(), r.bands(), r.height(), r.width(), r.label(), r.mask()));
        chips.get(s).add(withoutPixels(r));
    }

    private static ChipRow withoutPixels(ChipRow r) {
        return new ChipRow(r.chipId(), r.scene(), r.crs(), r.x(), r.y(), r.width(), r.height(), r.minx(), r.miny(),
                r.maxx(), r.maxy(), r.split(), r.label(), null, r.bands(), r.dtype(), null);
    }

    /** @return whether the loaders of a split stream from the stores (after setup) */
    public boolean streams(Split split) {
        return streamed.contains(split);
    }

    /** @return the sidecar of the store (after prepareData) */
    public ChipStoreMetadata metadata() {
        if (metadata == null) {
            prepareData();
        }
        return metadata;
    }

    /** @return the chips of a loaded split in loader order (no pixels), e.g. to place predictions */
    public List<ChipRow> chips(Split split) {
        if (streamed.contains(split)) {
            // metadata columns only, in store order: the order of the split's unshuffled streaming loader
            Set<Split> rows = rowsOf(split);
            List<ChipRow> out = new ArrayList<>();
            for (ChipStoreReader reader : stores.readers()) {
                try (ChipCursor c = reader.rows(ChipStoreSchema.METADATA_COLUMNS)) {
                    c.forEachRemaining(r -> {
                        if (rows == null || rows.contains(r.split())) {
                            out.add(r);
                        }
                    });
                }
            }
            return List.copyOf(out);
        }
        List<ChipRow> l = chips.get(split);
        if (l == null) {
            throw notLoaded(split);
        }
        return List.copyOf(l);
    }

    private ChipBatches loader(Split split, boolean training, LabelTask kind) {
        LoaderConfig lc = training ? config.loader() : config.loader().toBuilder().shuffle(false).dropLast(false)
                .augmentation(Augmentation.none()).build();
        BandNormalization norm = declared != null ? declared.withNodata(metadata.nodataArray())
                : BandNormalization.of(bandStatistics(), metadata.nodataArray());
        if (streamed.contains(split)) {
            StreamingChipLoader l = StreamingChipLoader.open(stores.readers(), rowsOf(split), norm, lc, kind);
            if (l.size() == 0 && split != Split.PREDICT) {
                throw emptySplit(split);
            }
            return l;
        }
        List<ChipSample> l = samples.get(split);
        if (l == null) {
            throw notLoaded(split);
        }
        if (l.isEmpty() && split != Split.PREDICT) {
            throw emptySplit(split);
        }
        return new ChipLoader(new ListChipSource(l), norm, lc, kind);
    }

    /** The split's chips were asked for before {@link #setup} loaded them: names the stage that loads them. */
    private TilingException notLoaded(Split split) {
        String stage = switch (split) {
            case TRAIN -> "FIT";
            case VAL -> "FIT) or setup(Stage.VALIDATE";
            case TEST -> "TEST";
            case PREDICT -> "PREDICT";
        };
        return new TilingException(config.store() + ": the " + split.id() + " split is not loaded; call"
                + " setup(Stage." + stage + ") before asking for its chips or loader (the Trainer calls it itself)");
    }

    private TilingException emptySplit(Split split) {
        return new TilingException(stores.describe() + ": the " + split.id() + " split holds no chip; change the split"
                + " ratios or block size and tile again");
    }

    /**
     * k-fold spatial-block cross-validation over the chips of the train and val splits (call setup(FIT) first, with
     * the store read into memory): blocks of {@code grid} are dealt to k folds with the seed (see {@link SpatialKFold});
     * each fold's statistics come from its own training chips.
     */
    public List<ChipFolds.Fold> crossValidationFolds(BlockGrid grid, int k, long seed) {
        List<ChipSample> s = new ArrayList<>();
        List<ChipRow> c = new ArrayList<>();
        for (Split split : new Split[] {Split.TRAIN, Split.VAL}) {
            if (streamed.contains(split)) {
                throw new TilingException(stores.describe() + ": cross-validation folds hold the chips in memory, but"
                        + " this store is streamed; set data.streaming: false (LoaderConfig.streaming(OFF))");
            }
            if (!samples.containsKey(split)) {
                throw notLoaded(split);
            }
            s.addAll(samples.get(split));
            c.addAll(chips.get(split));
        }
        return ChipFolds.spatial(s, c, metadata, config.loader(), grid, k, seed);
    }

    private LabelTask labelKind() {
        return metadata().task();
    }

    @Override
    public ChipBatches trainDataLoader() {
        return loader(Split.TRAIN, true, labelKind());
    }

    @Override
    public ChipBatches valDataLoader() {
        return hasSamples(Split.VAL) ? loader(Split.VAL, false, labelKind()) : null;
    }

    @Override
    public ChipBatches testDataLoader() {
        return hasSamples(Split.TEST) ? loader(Split.TEST, false, labelKind()) : null;
    }

    @Override
    public ChipBatches predictDataLoader() {
        ChipBatches l = loader(Split.PREDICT, false, LabelTask.NONE);
        return l.size() == 0 ? null : l;
    }

    @Override
    public long sampleCount(Split split) {
        return metadata().rows(split.id());
    }

    @Override
    public List<String> classNames() {
        return metadata().classNames();
    }

    @Override
    public int bandCount() {
        return metadata().bands();
    }

    @Override
    public int[] chipSize() {
        return new int[] {metadata().chipWidth(), metadata().chipHeight()};
    }

    @Override
    public void normalizeWith(BandNormalization normalization) {
        declared = normalization;
    }

    @Override
    public BandStatistics bandStatistics() {
        if (config.statistics() != null) {
            return config.statistics();
        }
        BandStatistics s = metadata().bandStatistics();
        if (s == null) {
            throw new TilingException(stores.describe() + ": the store has no training statistics (no train split);"
                    + " pass the training store's statistics with Config.withStatistics()");
        }
        return s;
    }
}
