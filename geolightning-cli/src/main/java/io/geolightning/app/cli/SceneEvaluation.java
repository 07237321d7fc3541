package io.geolightning.app.cli;

import io.geolightning.foundation.Progress;
import io.geolightning.foundation.TempFolders;
import io.geolightning.geo.GdalPath;
import io.geolightning.geo.GeoIOException;
import io.geolightning.geo.GeoRaster;
import io.geolightning.geo.PixelWindow;
import io.geolightning.geo.RasterFormat;
import io.geolightning.geo.TargetGrid;
import io.geolightning.models.metrics.ConfusionMatrix;
import io.geolightning.models.predict.InferenceModel;
import io.geolightning.models.predict.PredictOptions;
import io.geolightning.models.predict.ScenePredictor;
import io.geolightning.tiling.RegionRaster;
import io.geolightning.tiling.TilingException;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.store.ChipCursor;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreReader;
import io.geolightning.tiling.store.ChipStoreSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code evaluate --chips S --scene-window N}: a segmentation split's chips scored on the class rasters of their whole
 * scenes, predicted as {@code predict} predicts them (windows of N pixels, automatic overlap, tapered blending), so the
 * pixels near a chip's border see the imagery around the chip, as they do in a prediction, instead of each chip being
 * classified on its own. The labels are the chips' masks: the pixels scored are those of the chip-by-chip evaluation,
 * less any that predict leaves as no data (the scene's nodata). Each scene (a file, or a region's mosaic built again
 * from the tiling's files and grid) is predicted once into a temporary GeoTIFF, deleted afterwards.
 */
final class SceneEvaluation {

    /** A chip's window and labels. */
    private record Cell(int x, int y, int width, int height, byte[] mask) {
    }

    private SceneEvaluation() {
    }

    /**
     * @param model a segmenter
     * @param store the chip store
     * @param split the split to score
     * @param options how the scenes are predicted (window, batch size, test-time augmentation)
     * @param cm receives every labelled pixel of the split's chips
     * @param progress counts chips
     * @return the number of chips scored
     * @throws CliException one line naming a scene that cannot be read or predicted
     */
    static int score(InferenceModel model, Path store, Split split, PredictOptions options, ConfusionMatrix cm,
                     Progress progress) {
        Map<String, List<Cell>> byScene = new LinkedHashMap<>();
        ChipStoreReader reader = ChipStoreReader.open(store);
        ChipStoreMetadata metadata = reader.metadata();
        List<String> columns = new ArrayList<>(ChipStoreSchema.METADATA_COLUMNS);
        columns.add(ChipStoreSchema.MASK); // not the pixels: the scenes are read again whole
        try (ChipCursor rows = reader.rows(columns)) {
            rows.forEachRemaining(r -> {
                if (r.split() == split) {
                    byScene.computeIfAbsent(r.scene(), s -> new ArrayList<>()).add(new Cell(r.x(), r.y(), r.width(),
                            r.height(), r.mask()));
                }
            });
        }
        int chips = 0;
        for (Map.Entry<String, List<Cell>> scene : byScene.entrySet()) {
            Path dir = null;
            try (RegionRaster.Opened in = open(scene.getKey(), metadata)) {
                dir = EvaluationSources.scratchFolder("the scene's predictions");
                Path classes = dir.resolve("classes.tif");
                new ScenePredictor(model).predict(in.raster(), classes, options);
                try (GeoRaster predicted = GeoRaster.open(classes)) {
                    for (Cell c : scene.getValue()) {
                        byte[] p = predicted.read(new PixelWindow(c.x(), c.y(), c.width(), c.height()), 1).bytes();
                        for (int i = 0; i < p.length; i++) {
                            int truth = c.mask()[i] & 0xFF;
                            int guess = p[i] & 0xFF;
                            if (guess != ScenePredictor.NODATA) { // pixels predict leaves as no data are not scored
                                cm.add(truth, guess);
                            }
                        }
                    }
                }
                chips += scene.getValue().size();
                progress.add(scene.getValue().size());
            } catch (GeoIOException | TilingException e) {
                throw new CliException(store + ": the scene " + scene.getKey() + " of the " + split.id() + " chips"
                        + " cannot be read or predicted (" + e.getMessage() + "); score chip by chip (without"
                        + " --scene-window), or tile again from rasters that stay in place");
            } finally {
                TempFolders.delete(dir);
            }
        }
        return chips;
    }

    /**
     * @return the raster a chip's scene names: the file itself, or for a region (a mosaic or a band stack, whose chips
     *     name it {@code <first file>-region.vrt} or {@code -stack.vrt}) the same mosaic built again from the tiling's
     *     files and grid, as the Spark jobs build it
     */
    @SuppressWarnings("unchecked")
    private static RegionRaster.Opened open(String scene, ChipStoreMetadata metadata) {
        Map<String, Object> tiling = metadata.tilingConfig() == null ? Map.of() : metadata.tilingConfig();
        boolean region = (scene.endsWith("-region.vrt") || scene.endsWith("-stack.vrt")) && tiling.get("grid")
                instanceof List<?> && tiling.get("scenes") instanceof List<?> && !Files.exists(Path.of(scene));
        if (!region) {
            return new RegionRaster(List.of(GdalPath.of(scene).text()), RegionRaster.Kind.SINGLE, null, null).open();
        }
        List<Object> grid = (List<Object>) tiling.get("grid");
        TargetGrid g = new TargetGrid((String) grid.get(0), grid.get(1) == null ? null
                : ((Number) grid.get(1)).doubleValue(), (String) grid.get(2));
        return new RegionRaster((List<String>) tiling.get("scenes"), Boolean.TRUE.equals(tiling.get("stackBands"))
                ? RegionRaster.Kind.STACK : RegionRaster.Kind.MOSAIC, g, null).open();
    }

    /** @return prediction options for the scenes: GeoTIFF (no overviews), the rest as given */
    static PredictOptions options(int window, int batchSize, boolean tta) {
        return PredictOptions.builder().windowSize(window).batchSize(batchSize).tta(tta).format(RasterFormat.GTIFF)
                .build();
    }

}
