package io.geolightning.models.tasks;

import io.geolightning.tiling.labels.LabelTask;
import ai.djl.training.dataset.Dataset;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.RasterWindow;
import io.geolightning.tiling.Chip;
import io.geolightning.tiling.ChipGrid;
import io.geolightning.tiling.ChipDataType;
import io.geolightning.tiling.EdgeMode;
import io.geolightning.tiling.data.ChipLoader;
import io.geolightning.tiling.data.ChipSample;
import io.geolightning.tiling.data.ListChipSource;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.BandNormalization;
import io.geolightning.tiling.labels.LabelConfig;
import io.geolightning.tiling.labels.LabelSet;
import io.geolightning.tiling.labels.SceneLabels;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.stats.BandStatisticsAccumulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Test fixture: real chips cut from the shared data with the tiling module (chip grid, vector labels, band
 * statistics, DJL loaders), split every fifth chip into validation.
 *
 * @param train training samples
 * @param val validation samples
 * @param classNames class names in id order
 * @param stats band statistics of the training samples
 * @param nodata per-band nodata of the scene
 */
public record SceneChips(List<ChipSample> train, List<ChipSample> val, List<String> classNames, BandStatistics stats,
                         Double[] nodata) {

    /** @return the shared data folder (/work/shared/data) */
    public static Path data() {
        return Path.of(System.getProperty("geolightning.root", "."), "..", "shared", "data").normalize();
    }

    /** @return the Olinda Landsat-7 scene (6 bands, uint8) */
    public static Path olindaRaster() {
        return data().resolve("olinda/L7_ETMs.tif");
    }

    /** @return the Massachusetts 1 m RGB scene */
    public static Path massachusettsRaster() {
        return data().resolve("massachusetts/22978945_15.tif");
    }

    /**
     * Olinda census polygons (TIPO = URBANO / RURAL) as chip classes.
     *
     * @param size chip side
     * @param stride chip step
     * @return the chips
     */
    public static SceneChips olindaClassification(int size, int stride) {
        LabelConfig cfg = LabelConfig.classification(data().resolve("olinda/olinda1.shp"), "TIPO");
        return cut(olindaRaster(), cfg, size, stride, false);
    }

    /**
     * Massachusetts building footprints as a background/building mask.
     *
     * @param size chip side
     * @param stride chip step
     * @return the chips
     */
    public static SceneChips massachusettsSegmentation(int size, int stride) {
        LabelConfig cfg = LabelConfig.segmentation(data().resolve("massachusetts/buildings_22978945_15.gpkg"), null);
        return cut(massachusettsRaster(), cfg, size, stride, true);
    }

    private static SceneChips cut(Path rasterPath, LabelConfig cfg, int size, int stride, boolean masks) {
        try (GeoRaster raster = GeoRaster.open(rasterPath)) {
            SceneLabels labels = new SceneLabels(LabelSet.load(cfg), raster);
            int bands = raster.bandCount();
            Double[] nodata = new Double[bands];
            for (int b = 0; b < bands; b++) {
                OptionalDouble nd = raster.nodata(b + 1);
                nodata[b] = nd.isPresent() ? nd.getAsDouble() : null;
            }
            List<ChipSample> train = new ArrayList<>();
            List<ChipSample> val = new ArrayList<>();
            BandStatisticsAccumulator acc = new BandStatisticsAccumulator(bands, ChipDataType.UINT8, nodata);
            int i = 0;
            for (Chip chip : new ChipGrid(size, stride, EdgeMode.DROP).chips(raster)) {
                if (!labels.overlaps(chip) && !masks) {
                    continue;
                }
                Integer label = null;
                byte[] mask = null;
                if (masks) {
                    mask = labels.mask(raster, chip);
                } else {
                    Optional<Integer> c = labels.classify(chip, raster.footprint(chip.window()));
                    if (c.isEmpty()) {
                        continue;
                    }
                    label = c.get();
                }
                RasterWindow w = raster.read(chip.window());
                ChipSample s = new ChipSample(w.asBytes(), ChipDataType.UINT8, bands, size, size, label, mask);
                if (i++ % 5 == 4) {
                    val.add(s);
                } else {
                    train.add(s);
                    acc.add(s.pixels(), size * size);
                }
            }
            return new SceneChips(train, val, labels.labels().classNames(), acc.result(), nodata);
        }
    }

    /** @return the tiling normalisation of these chips */
    public BandNormalization normalization() {
        return BandNormalization.of(stats, nodata);
    }

    /**
     * @param samples train or val
     * @param batchSize batch size
     * @param shuffle shuffle each epoch
     * @return a DJL dataset of normalised batches
     */
    public Dataset loader(List<ChipSample> samples, int batchSize, boolean shuffle) {
        return new ChipLoader(new ListChipSource(samples), normalization(),
                LoaderConfig.builder().batchSize(batchSize).shuffle(shuffle).dropLast(false).seed(7).workers(1).build(),
                samples.get(0).mask() != null ? LabelTask.SEGMENTATION : LabelTask.CLASSIFICATION);
    }
}
