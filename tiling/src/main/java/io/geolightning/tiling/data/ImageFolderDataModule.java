package io.geolightning.tiling.data;

import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.trainer.Stage;
import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.RandomSplitter;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.splits.SplitRatios;
import io.geolightning.tiling.splits.SplitResult;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data module over pre-chipped images in class folders ({@code root/<class>/*.jpg}), like torchvision's
 * ImageFolder: classes are the sub-folder names in sorted order, images are decoded with javax.imageio as 3-band RGB
 * (optionally resized), split at random per class (stratified, seeded) and normalised with statistics of (a sample
 * of) the training images.
 */
public final class ImageFolderDataModule implements ChipDataModule {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderDataModule.class);
    private static final List<String> SUFFIXES = List.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff");

    private final Config config;
    private List<String> classNames;
    private Map<Split, List<Entry>> splits;
    private BandStatistics stats;
    private int[] size;

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
            names.addAll(config.classNames());
        }
        List<Entry> entries = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images;
            try (Stream<Path> s = Files.list(dir)) {
                images = s.filter(ImageFolderDataModule::isImage).sorted().toList();
            } catch (IOException e) {
                throw new TilingException(dir + ": cannot list the class folder (" + e.getMessage() + ")", e);
            }
            if (images.isEmpty()) {
                throw new TilingException(dir + ": class folder holds no image (" + imageSuffixes()
                        + "); remove the folder or add its images");
            }
            String name = dir.getFileName().toString();
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
            ChipSample s = decode(any);
            size = new int[] {s.width(), s.height()};
            stats = config.statistics();
            return;
        }
        List<Entry> train = splits.get(Split.TRAIN);
        if (train.isEmpty()) {
            throw new TilingException(config.root() + ": the training split is empty; lower the val/test ratios or add images");
        }
        BandStatisticsAccumulator acc = new BandStatisticsAccumulator(3, ChipDataType.UINT8, null);
        int step = Math.max(1, train.size() / config.statsSample());
        for (int i = 0; i < train.size(); i += step) {
            ChipSample s = decode(train.get(i));
            if (size == null) {
                size = new int[] {s.width(), s.height()};
            }
            acc.add(s.pixels(), s.width() * s.height());
        }
        stats = acc.result();
    }

    /** @return the images of a split (after prepareData) */
    public List<Entry> entries(Split split) {
        prepareData();
        return splits.getOrDefault(split, List.of());
    }

    /**
     * Decodes one image into a 3-band uint8 band-major sample (resized when configured).
     *
     * @throws TilingException naming the file when it cannot be decoded, or when images are kept at their size
     *     ({@code resize} 0) and it differs from the others'
     */
    public ChipSample decode(Entry e) {
        ChipSample s = decodeImage(e.path(), config.resize(), e.label());
        int[] first = size;
        if (first != null && (s.width() != first[0] || s.height() != first[1])) {
            throw new TilingException(e.path() + ": " + s.width() + "x" + s.height() + " pixels, but the images of "
                    + config.root() + " are " + first[0] + "x" + first[1] + "; resize them all to one size"
                    + " (data.resize: " + first[0] + ", say) or resize this one");
        }
        return s;
    }

    /**
     * @param image a JPEG, PNG, BMP, GIF or TIFF that javax.imageio reads
     * @param resize the square side to resize it to (bilinear), or 0 to keep its size
     * @param label the sample's class
     * @return the image as a 3-band uint8 band-major sample (red, green, blue)
     * @throws TilingException one line naming the file, when it cannot be decoded
     */
    public static ChipSample decodeImage(Path image, int resize, int label) {
        BufferedImage img;
        try {
            img = ImageIO.read(image.toFile());
        } catch (IOException ex) {
            throw new TilingException(image + ": cannot decode the image (" + ex.getMessage()
                    + "); remove or replace the file", ex);
        }
        if (img == null) {
            throw new TilingException(image + ": not an image javax.imageio can read; convert it to JPEG or PNG");
        }
        if (resize > 0 && (img.getWidth() != resize || img.getHeight() != resize)) {
            BufferedImage r = new BufferedImage(resize, resize, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = r.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, resize, resize, null);
            g.dispose();
            img = r;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] px = new byte[3 * w * h];
        int n = w * h;
        for (int i = 0; i < n; i++) {
            int v = argb[i];
            px[i] = (byte) (v >> 16);
            px[n + i] = (byte) (v >> 8);
            px[2 * n + i] = (byte) v;
        }
        return new ChipSample(px, ChipDataType.UINT8, 3, h, w, label, null);
    }

    /** @return the image suffixes this module reads, for messages: "jpg, jpeg, png, bmp, gif, tif, tiff" */
    public static String imageSuffixes() {
        return String.join(", ", SUFFIXES);
    }

    /**
     * @param p a file
     * @return whether its name ends with an image suffix this module reads ({@code jpg, jpeg, png, bmp, gif, tif,
     *     tiff})
     */
    public static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return Files.isRegularFile(p) && dot > 0 && SUFFIXES.contains(n.substring(dot + 1));
    }

    private ChipLoader loader(Split split, boolean training) {
        if (stats == null) {
            throw new IllegalStateException("call setup(Stage) before asking for a loader");
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
        return new ChipLoader(src, BandNormalization.of(stats, null), lc, LabelTask.CLASSIFICATION);
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
        return 3;
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
