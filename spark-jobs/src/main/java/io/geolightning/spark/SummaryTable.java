package io.geolightning.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The predict job's summary, written by Spark as a Parquet table (a folder with one part file): one row per scene,
 * sorted by scene list position, with columns
 * {@code scene, output, status, error, class_pixels (map class -> pixels), class_area (map class -> square metres;
 * in a geographic CRS each row's pixels at their latitude), nodata_pixels, pixel_area (square metres, at the
 * raster's centre), crs, width, height, seconds}. Written with Spark's commit protocol in overwrite
 * mode, so a rerun replaces it and a failed write leaves the previous table.
 */
public final class SummaryTable {

    /** The table's schema. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("scene", DataTypes.StringType, false),
        DataTypes.createStructField("output", DataTypes.StringType, true),
        DataTypes.createStructField("status", DataTypes.StringType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true),
        DataTypes.createStructField("class_pixels", DataTypes.createMapType(DataTypes.StringType,
                DataTypes.LongType, false), true),
        DataTypes.createStructField("class_area", DataTypes.createMapType(DataTypes.StringType,
                DataTypes.DoubleType, false), true),
        DataTypes.createStructField("nodata_pixels", DataTypes.LongType, true),
        DataTypes.createStructField("pixel_area", DataTypes.DoubleType, true),
        DataTypes.createStructField("crs", DataTypes.StringType, true),
        DataTypes.createStructField("width", DataTypes.IntegerType, true),
        DataTypes.createStructField("height", DataTypes.IntegerType, true),
        DataTypes.createStructField("seconds", DataTypes.DoubleType, false),
    });

    private SummaryTable() {
    }

    /**
     * @param outcomes the scenes, any order
     * @return the rows, one per scene in list order
     */
    static List<Row> rows(List<ScenePredictionOutcome> outcomes) {
        List<Row> rows = new ArrayList<>();
        outcomes.stream().sorted(Comparator.comparingInt(ScenePredictionOutcome::index)).forEach(o -> {
            boolean ok = o.status() == SceneStatus.OK;
            Map<String, Long> pixels = null;
            Map<String, Double> area = null;
            if (ok) {
                pixels = new LinkedHashMap<>();
                area = new LinkedHashMap<>();
                for (int c = 0; c < o.classNames().size(); c++) {
                    pixels.put(o.classNames().get(c), o.classPixels().get(c));
                    area.put(o.classNames().get(c), o.classArea().get(c));
                }
            }
            rows.add(RowFactory.create(o.scene(), o.output(), o.status().name(), o.error(),
                    pixels == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(pixels),
                    area == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(area),
                    ok ? o.nodataPixels() : null, ok ? o.pixelArea() : null, o.crs(),
                    ok ? o.width() : null, ok ? o.height() : null, o.seconds()));
        });
        return rows;
    }

    /**
     * Checks, before any work, that writing the table (which replaces the whole folder) deletes nothing else.
     *
     * @param table the summary folder (absolute)
     * @param kept files the job reads or writes: the checkpoint, the list, the scenes and their outputs
     * @throws JobUsageException when one of them lies in the folder, or the folder holds files a Parquet table
     *     written by Spark does not ({@code part-*.parquet}, {@code _SUCCESS}, hidden {@code .crc} files)
     */
    static void checkTarget(Path table, List<Path> kept) {
        for (Path p : kept) {
            if (p.startsWith(table)) {
                throw new JobUsageException("--summary " + table + ": would replace a folder holding " + p
                        + ", which the job reads or writes; pass a folder of its own, e.g. "
                        + table.resolve("summary.parquet"));
            }
        }
        if (Files.exists(table) && !Files.isDirectory(table)) {
            throw new JobUsageException("--summary " + table + ": exists and is not a folder; pass a new folder for"
                    + " the Parquet summary, e.g. " + table.resolveSibling("summary.parquet"));
        }
        if (Files.isDirectory(table)) {
            try (Stream<Path> s = Files.list(table)) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    if (!(n.startsWith("_") || n.startsWith(".") && n.endsWith(".crc")
                            || n.startsWith("part-") && n.endsWith(".parquet"))) {
                        throw new JobUsageException("--summary " + table + ": holds " + n + ", not a summary"
                                + " table; writing the table replaces the whole folder, so pass a new folder, e.g. "
                                + table.resolve("summary.parquet"));
                    }
                }
            } catch (IOException e) {
                throw new SparkJobException("--summary " + table + ": cannot list the folder (" + e.getMessage()
                        + "); check its permissions", e);
            }
        }
    }

    /**
     * Writes the summary.
     *
     * @param spark the session
     * @param outcomes the scenes
     * @param table the Parquet folder to (over)write
     */
    static void write(SparkSession spark, List<ScenePredictionOutcome> outcomes, Path table) {
        spark.createDataFrame(rows(outcomes), SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(table.toAbsolutePath().toString());
    }
}
