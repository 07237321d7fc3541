package io.geolightning.app.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geolightning.app.config.ConfigException;
import io.geolightning.app.config.DataSection;
import io.geolightning.app.config.RunConfigLoader;
import io.geolightning.tiling.EdgeMode;
import io.geolightning.tiling.TilingConfig;
import io.geolightning.tiling.data.ImageFolderDataModule;
import io.geolightning.tiling.data.LoaderConfig;
import io.geolightning.tiling.data.SatelliteDataModule;
import io.geolightning.tiling.labels.LabelTask;
import io.geolightning.tiling.splits.BlockGrid;
import io.geolightning.tiling.splits.SplitConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataModuleFactoryTest {

    private static DataSection data(String... kv) {
        Map<String, Object> tree = new java.util.LinkedHashMap<>();
        return RunConfigLoader.bind(tree, java.util.Arrays.stream(kv).map(s -> "data." + s).toList(), "t").data();
    }

    @Test
    void tilingSettingsBecomeATilingConfig() {
        DataSection d = data("raster=scene.tif", "labels=l.shp", "labelField=TIPO", "chipSize=32", "stride=16",
                "split=spatial", "block=5000m", "val=0.25", "test=0.25", "edge=shift", "classes=[RURAL, URBANO]");
        TilingConfig c = DataModuleFactory.tilingConfig(d, Path.of("store"), 7);
        assertEquals(32, c.chipSize());
        assertEquals(16, c.stride());
        assertEquals(EdgeMode.SHIFT, c.edge());
        assertEquals(SplitConfig.Kind.SPATIAL, c.split().kind());
        assertEquals(BlockGrid.metres(5000), c.split().grid());
        assertEquals(0.5, c.split().ratios().train(), 1e-12);
        assertEquals(7, c.split().seed());
        assertEquals(LabelTask.CLASSIFICATION, c.task());
        assertEquals(List.of("RURAL", "URBANO"), c.labels().classNames());
        assertEquals(BlockGrid.chips(4), BlockGrid.parse("4"));
        assertEquals(BlockGrid.chips(3), BlockGrid.parse("3 chips"));
        assertEquals(SplitConfig.Kind.ALL_TRAIN, data("split=none").tiling().splitConfig(1).kind());
    }

    @Test
    void sourcesPickTheRightDataModule() {
        assertTrue(DataModuleFactory.create(data("chips=store.parquet"), Path.of("d"), 1)
                instanceof SatelliteDataModule);
        assertTrue(DataModuleFactory.create(data("imageFolder=/aid", "resize=64"), Path.of("d"), 1)
                instanceof ImageFolderDataModule);
        SatelliteDataModule tiled = (SatelliteDataModule) DataModuleFactory.create(data("raster=a.tif",
                "labels=b.gpkg", "mode=segmentation"), Path.of("runs/x/chips"), 1);
        assertEquals(Path.of("runs/x/chips").toAbsolutePath().normalize(), tiled.config().store()
                .toAbsolutePath().normalize(), "tiles into the default store when data.chips is not set");
    }

    @Test
    void severalChipStoresAndStreamingSettings() {
        SatelliteDataModule one = (SatelliteDataModule) DataModuleFactory.create(data("chips=a.parquet"), Path.of("d"),
                1);
        assertEquals(List.of(Path.of("a.parquet")), one.config().stores());
        assertEquals(LoaderConfig.Streaming.AUTO, one.config().loader().streaming());
        assertEquals(LoaderConfig.DEFAULT_SHUFFLE_BUFFER, one.config().loader().shuffleBuffer());
        SatelliteDataModule two = (SatelliteDataModule) DataModuleFactory.create(data("chips=[a.parquet, spark-out]",
                "streaming=true", "shuffleBuffer=500"), Path.of("d"), 1);
        assertEquals(List.of(Path.of("a.parquet"), Path.of("spark-out")), two.config().stores());
        assertEquals(LoaderConfig.Streaming.ON, two.config().loader().streaming());
        assertEquals(500, two.config().loader().shuffleBuffer());
        assertEquals(LoaderConfig.Streaming.OFF, data("chips=a", "streaming=false").streamingMode());
        ConfigException e = assertThrows(ConfigException.class, () -> data("chips=a", "streaming=sometimes"));
        assertTrue(e.getMessage().endsWith("--set data.streaming=sometimes: must be auto, true or false"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> data("chips=a", "shuffleBuffer=0"));
        assertTrue(e.getMessage().endsWith("--set data.shuffleBuffer=0: must be at least 1"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> data("chips=[a, b]", "raster=s.tif", "labels=l.gpkg"));
        assertTrue(e.getMessage().contains("--set data.chips=[a, b]: 2 stores are read, not written"), e.getMessage());
    }

    @Test
    void gdalPathsInTheYamlReachTheTilerVerbatim() {
        DataSection d = data("raster=/vsicurl/https://example.org/scenes/a.tif",
                "labels=/vsizip//data/labels.zip/olinda1.shp", "labelField=TIPO");
        TilingConfig c = DataModuleFactory.tilingConfig(d, Path.of("store"), 7);
        assertEquals("/vsicurl/https://example.org/scenes/a.tif", c.scenes().get(0).text());
        assertEquals("/vsizip//data/labels.zip/olinda1.shp", c.labels().vector().text());
    }

    @Test
    void aRegionInTheYamlIsACatalogOnAGrid() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("region");
        for (String n : new String[] {"b.tif", "a.tif", "notes.txt"}) {
            java.nio.file.Files.writeString(dir.resolve(n), "");
        }
        TilingConfig c = DataModuleFactory.tilingConfig(data("rasters=[" + dir + "/*.tif]", "labels=l.gpkg",
                "labelField=F"), Path.of("store"), 7);
        assertEquals(List.of(dir.resolve("a.tif").toString(), dir.resolve("b.tif").toString()),
                c.scenes().stream().map(io.geolightning.geo.GdalPath::text).toList());
        assertEquals(io.geolightning.geo.TargetGrid.ofFirstRaster(), c.grid(), "several rasters: one mosaic");
        c = DataModuleFactory.tilingConfig(data("raster=" + dir.resolve("a.tif"), "grid={crs: EPSG:32619,"
                + " resolution: 10, resampling: bilinear}", "labels=l.gpkg", "labelField=F"), Path.of("store"), 7);
        assertEquals(new io.geolightning.geo.TargetGrid("EPSG:32619", 10.0, "bilinear"), c.grid());
        assertMessage(() -> DataModuleFactory.tilingConfig(data("rasters=[" + dir + "/*.jp2]", "labels=l.gpkg",
                "labelField=F"), Path.of("store"), 7), "data.rasters: " + dir + "/*.jp2: the pattern matches no file");
    }

    @Test
    void badValuesAreRefusedWhenReadNamingTheKeyAndTheAcceptedValues() {
        assertMessage(() -> DataModuleFactory.create(data("batchSize=4"), Path.of("d"), 1),
                "data: no source; set 'chips'");
        assertMessage(() -> DataModuleFactory.tilingConfig(data("raster=a.tif", "labels=b"), Path.of("s"), 1),
                "b: file not found");
        String shp = Path.of(System.getProperty("geolightning.root"), "sample-data/olinda/olinda1.shp").toString();
        assertMessage(() -> DataModuleFactory.tilingConfig(data("raster=a.tif", "labels=" + shp), Path.of("s"), 1),
                "data.labelField is not set: classification needs the attribute");
        assertMessage(() -> DataModuleFactory.create(data("raster=a", "imageFolder=b"), Path.of("d"), 1),
                "both 'raster' and 'imageFolder'");
        // ranges and choices: TilingSettings.check() is their one home; binding names the key and the --set
        assertMessage(() -> data("mode=regression"), "--set data.mode=regression: unknown;"
                + " use classification or segmentation");
        assertMessage(() -> data("split=kfold"), "--set data.split=kfold: unknown; use spatial, random or none");
        assertMessage(() -> data("val=0.6", "test=0.5"), "--set data.val=0.6: val and test must each be"
                + " >= 0 and sum below 1");
        assertMessage(() -> data("block=big"), "--set data.block=big: not a block size");
        assertMessage(() -> data("block=-3"), "--set data.block=-3: not a block size");
        assertMessage(() -> data("edge=wrap"), "--set data.edge=wrap: unknown; use drop, shift or"
                + " pad");
        assertMessage(() -> data("chipSize=0"), "--set data.chipSize=0: must be at least 1 pixel");
        assertMessage(() -> data("maxNodata=1.5"), "--set data.maxNodata=1.5: must be between 0 and 1");
        assertMessage(() -> DataModuleFactory.create(data("imageFolder=/aid", "split=none", "val=0.9", "test=0.3"),
                Path.of("d"), 1), "data.val 0.9: val and test must each be >= 0 and sum below 1");
        assertMessage(() -> data("batchSize=0"), "--set data.batchSize=0: must be at least 2");
        assertEquals("big", data("split=random", "block=big").tiling().block(), "only a spatial split reads the block");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        ConfigException x = assertThrows(ConfigException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
        assertTrue(!x.getMessage().contains("\n"), x.getMessage());
    }
}
