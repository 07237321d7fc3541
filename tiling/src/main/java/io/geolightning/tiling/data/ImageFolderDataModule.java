package io.geolightning.tiling.data;

import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.trainer.Stage;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.RandomSplitter;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.tiling.splits.SplitResult;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data module over pre-chipped images in class folders ({@code root/<class>/*.jpg}, at any depth outside hidden
 * folders), like torchvision's ImageFolder: classes are the sub-folder names (Unicode NFC) in sorted order, images
 * are decoded by {@link ImageFiles} (RGB, or every band of multispectral and 16-bit TIFFs; optionally resized; all
 * images of a folder must agree in bands and data type), split at random per class (stratified, seeded) and
 * normalised with statistics of (a sample of) the training images.
 */
public final class ImageFolderDataModule implements ChipDataModule {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderDataModule.class);

    private final Config config;
    private List<String> classNames;
    private Map<Split, List<Entry>> splits;
    private final ImageFiles.Decoder decoder = new ImageFiles.Decoder();
    private BandStatistics stats;
    private int[] size;
    private volatile ChipSample first;
    private BandNormalization declared;

    /** One image and its class. @param path image file @param label class id */
    public record Entry(Path path, int label) {
    }

    /**
     * Configuration.
     *
     * @param root folder of class folders
     * @param ratios train/val/test fractions (per class)
     * @param seed split seed
     * @param resize side to resize every image to (square), or 0 to keep the size (all images must then agree)
     * @param statsSample at most this many training images are decoded to compute band statistics
     * @param loader loader configuration of the training loader (evaluation loaders drop shuffle/augmentation)
     * @param classNames the classes and their order (a model's), or null for the sorted folder names; a folder that
     *     names no class is refused, a class without a folder has no image
     * @param statistics the band statistics to normalise with (a model's), or null to compute them from the
     *     training images
     */
    public record Config(Path root, SplitRatios ratios, long seed, int resize, int statsSample, LoaderConfig loader,
                         List<String> classNames, BandStatistics statistics) {
        /** Validates. */
        public Config {
            if (root == null) {
                throw new TilingException("image folder: root is null; pass the folder holding one sub-folder per class");
            }
            if (ratios == null) {
                ratios = SplitRatios.defaults();
            }
            if (loader == null) {
                loader = LoaderConfig.builder().build();
            }
            classNames = classNames == null ? null : List.copyOf(classNames);
            if (resize < 0 || statsSample < 1) {
                throw new TilingException("image folder: resize " + resize + " / statsSample " + statsSample
                        + ": resize must be >= 0 and statsSample >= 1");
            }
        }

        /**
         * Classes from the folder names, statistics from the training images.
         *
         * @param root folder of class folders
         * @param ratios train/val/test fractions (per class)
         * @param seed split seed
         * @param resize side to resize every image to, or 0
         * @param statsSample images decoded for the band statistics
         * @param loader the training loader's configuration
         */
        public Config(Path root, SplitRatios ratios, long seed, int resize, int statsSample, LoaderConfig loader) {
            this(root, ratios, seed, resize, statsSample, loader, null, null);
        }

        /** Defaults: 70/15/15, seed 42, no resize, 512 images for statistics, default loader. */
        public static Config of(Path root) {
            return new Config(root, SplitRatios.defaults(), 42, 0, 512, null);
        }

        /**
         * For scoring a model on the folder: every image in the test split, labelled in the model's class order and
         * normalised with its statistics.
         *
         * @param classNames the model's classes
         * @param statistics the model's normalisation as band statistics
         * @return the configuration
         */
        public Config forModel(List<String> classNames, BandStatistics statistics) {
            return new Config(root, new SplitRatios(0, 0, 1), seed, resize, statsSample, loader, classNames,
                    statistics);
        }

        /** @return a copy with another resize side */
        public Config withResize(int side) {
            return new Config(root, ratios, seed, side, statsSample, loader, classNames, statistics);
        }

        /** @return a copy with another loader configuration */
        public Config withLoader(LoaderConfig l) {
            return new Config(root, ratios, seed, resize, statsSample, l, classNames, statistics);
        }

        /** @return a copy with other ratios and seed */
        public Config withSplit(SplitRatios r, long s) {
            return new Config(root, r, s, resize, statsSample, loader, classNames, statistics);
        }
    }

    /** @param config the configuration */
    public ImageFolderDataModule(Config config) {
        this.config = config;
    }

    /** @return the folder of class folders */
    public Path root() {
        return config.root();
    }

    /** Scans the folders (nothing is written to disk). */
    @Override
    public void prepareData() {
        if (classNames != null) {
            return;
        }
        Path root = config.root();
        if (!Files.isDirectory(root)) {
            throw new TilingException(root + ": not a folder; pass the folder holding one sub-folder of images per class");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new TilingException(root + ": cannot list the folder (" + e.getMessage() + "); check permissions", e);
        }
        if (classDirs.isEmpty()) {
            throw new TilingException(root + ": no class sub-folders; put the images of each class in root/<class>/");
        }
        List<String> names = new ArrayList<>();
        if (config.classNames() != null) {
            config.classNames().forEach(n -> names.add(Normalizer.normalize(n, Normalizer.Form.NFC)));
        }
        List<Entry> entries = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images;
            try { // at any depth, as torchvision's ImageFolder and predict --images read them
                images = ImageFiles.under(dir);
            } catch (IOException e) {
                throw new TilingException(dir + ": cannot list the class folder (" + e.getMessage() + ")", e);
            }
            if (images.isEmpty()) {
                throw new TilingException(dir + ": class folder holds no image (" + ImageFiles.suffixes()
                        + "); remove the folder or add its images");
            }
            String name = Normalizer.normalize(dir.getFileName().toString(), Normalizer.Form.NFC); // macOS: NFD
            if (config.classNames() != null && !names.contains(name)) {
                throw new TilingException(dir + ": '" + name + "' is not one of the classes " + names + "; name the"
                        + " class folders after them (or remove this one)");
            }
            if (config.classNames() == null) {
                names.add(name);
            }
            int label = names.indexOf(name);
            images.forEach(p -> entries.add(new Entry(p, label)));
        }
        classNames = List.copyOf(names);
        SplitResult<Entry> r = new RandomSplitter(config.ratios(), config.seed()).split(entries, Entry::label);
        splits = new EnumMap<>(Split.class);
        for (Split s : new Split[] {Split.TRAIN, Split.VAL, Split.TEST}) {
            splits.put(s, r.get(s));
        }
        LOG.info("image folder {}: {} classes, {} images (train {}, val {}, test {})", root, classNames.size(),
                entries.size(), r.get(Split.TRAIN).size(), r.get(Split.VAL).size(), r.get(Split.TEST).size());
    }

    /** Computes the band statistics from (a sample of) the training images. */
    @Override
    public void setup(Stage stage) {
        prepareData();
        if (stats != null) {
            return;
        }
        if (config.statistics() != null) {
            Entry any = splits.values().stream().flatMap(List::stream).findFirst().orElseThrow();
            decode(any);
            stats = config.statistics();
            if (first.bands() != stats.bands()) {
                throw new TilingException(any.path() + ": " + describe(first) + ", but the model takes "
                        + stats.bands() + " bands; pass images of the bands it was trained on");
            }
            return;
        }
        List<Entry> train = splits.get(Split.TRAIN);
        if (train.isEmpty()) {
            throw new TilingException(config.root() + ": the training split is empty; lower the val/test ratios or add images");
        }
        BandStatisticsAccumulator acc = null;
        int step = Math.max(1, train.size() / config.statsSample());
        for (int i = 0; i < train.size(); i += step) {
            ChipSample s = decode(train.get(i));
            if (acc == null) {
                acc = new BandStatisticsAccumulator(s.bands(), s.dtype(), null);
            }
            acc.add(s.pixels(), s.width() * s.height());
        }
        checkEveryImage();
        stats = acc.result();
    }

    /**
     * Decodes every image once before training starts (on the common fork-join pool), so that a damaged image, or one
     * of another size or other bands, is an error naming it before the run writes anything, not in the middle of an
     * epoch.
     */
    private void checkEveryImage() {
        long t0 = System.nanoTime();
        List<Entry> all = splits.values().stream().flatMap(List::stream).toList();
        all.parallelStream().forEach(this::decode);
        LOG.info("image folder {}: all {} images decode, checked in {} s", config.root(), all.size(),
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
    }

    /** @return the images of a split (after prepareData) */
    public List<Entry> entries(Split split) {
        prepareData();
        return splits.getOrDefault(split, List.of());
    }

    /**
     * Decodes one image into a band-major sample (resized when configured), {@link ImageFiles#decode}.
     *
     * @throws TilingException naming the file when it cannot be decoded, when its bands or data type differ from the
     *     first image's, or when images are kept at their size ({@code resize} 0) and it differs from the others'
     */
    public ChipSample decode(Entry e) {
        ChipSample s = decoder.decode(e.path(), config.resize(), e.label());
        ChipSample f = first;
        if (f == null) {
            synchronized (this) {
                if (first == null) {
                    first = s;
                    size = new int[] {s.width(), s.height()};
                }
                f = first;
            }
        }
        if (s.bands() != f.bands() || s.dtype() != f.dtype()) {
            throw new TilingException(e.path() + ": " + describe(s) + ", but the images of " + config.root()
                    + " have " + describe(f) + "; give every image the same bands (or remove this one)");
        }
        if (s.width() != f.width() || s.height() != f.height()) {
            throw new TilingException(e.path() + ": " + s.width() + "x" + s.height() + " pixels, but the images of "
                    + config.root() + " are " + f.width() + "x" + f.height() + "; resize them all to one size"
                    + " (data.resize: " + f.width() + ", say) or resize this one");
        }
        return s;
    }

    private static String describe(ChipSample s) {
        return s.bands() + (s.bands() == 1 ? " band" : " bands") + " of " + s.dtype().id();
    }

    private ChipLoader loader(Split split, boolean training) {
        if (stats == null) {
            throw new TilingException(config.root() + ": no training statistics yet; call setup(stage) (any stage)"
                    + " before asking for a loader (the Trainer calls it itself)");
        }
        List<Entry> list = splits.get(split);
        ChipSource src = new ChipSource() {
            @Override
            public int size() {
                return list.size();
            }

            @Override
            public ChipSample get(int index) {
                return decode(list.get(index));
            }
        };
        LoaderConfig lc = training ? config.loader() : config.loader().toBuilder().shuffle(false).dropLast(false)
                .augmentation(Augmentation.none()).build();
        return new ChipLoader(src, declared != null ? declared : BandNormalization.of(stats, null), lc,
                LabelTask.CLASSIFICATION);
    }

    @Override
    public void normalizeWith(BandNormalization normalization) {
        declared = normalization;
    }

    @Override
    public ChipLoader trainDataLoader() {
        if (!hasSamples(Split.TRAIN)) {
            throw new TilingException(config.root() + ": the train split holds no image; add images to the class"
                    + " folders or lower the val/test fractions");
        }
        return loader(Split.TRAIN, true);
    }

    @Override
    public ChipLoader valDataLoader() {
        return hasSamples(Split.VAL) ? loader(Split.VAL, false) : null;
    }

    @Override
    public ChipLoader testDataLoader() {
        return hasSamples(Split.TEST) ? loader(Split.TEST, false) : null;
    }

    /** Prediction on an image folder runs over the test images. */
    @Override
    public ChipLoader predictDataLoader() {
        return hasSamples(Split.TEST) ? loader(Split.TEST, false) : null;
    }

    @Override
    public long sampleCount(Split split) {
        return entries(split).size();
    }

    @Override
    public List<String> classNames() {
        prepareData();
        return classNames;
    }

    @Override
    public int bandCount() {
        return bandStatistics().bands();
    }

    @Override
    public int[] chipSize() {
        if (size == null) {
            setup(Stage.FIT);
        }
        return size.clone();
    }

    @Override
    public BandStatistics bandStatistics() {
        if (stats == null) {
            setup(Stage.FIT);
        }
        return stats;
    }
}
