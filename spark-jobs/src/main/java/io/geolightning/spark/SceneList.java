package io.geolightning.spark;

import io.geolightning.geo.GdalPath;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/**
 * The list of scenes a job works on, read with Spark: a CSV file with a header row, a JSON file (one object per
 * line, or one array of objects), or a Parquet table (a file or a folder of parts). One row per scene; the columns a
 * job understands are given as canonical names (e.g. {@code labelField}), and matched ignoring case, underscores and
 * dashes ({@code label_field}, {@code LABEL-FIELD}); aliases map other spellings ({@code scene} for {@code raster}).
 * An unknown column is an error naming it and the accepted ones. Relative paths in the list are resolved against the
 * list's folder by {@link Entry#path(String)}.
 *
 * @param file the list
 * @param entries the rows in file order
 */
public record SceneList(Path file, List<Entry> entries) {

    /**
     * One row of the list.
     *
     * @param file the list it came from (for messages and relative paths)
     * @param row 1-based data row number
     * @param values cell values by canonical column name; empty cells are absent
     */
    public record Entry(Path file, int row, Map<String, Object> values) {

        /** @return "scenes.csv row 3", the prefix of this row's messages */
        public String where() {
            return file.getFileName() + " row " + row;
        }

        /** @return whether the cell is set (present and not blank) */
        public boolean has(String key) {
            Object v = values.get(key);
            return v != null && !(v instanceof String s && s.isBlank());
        }

        /** @return the cell as text, or null when empty */
        public String string(String key) {
            return has(key) ? String.valueOf(values.get(key)).trim() : null;
        }

        /**
         * @return the cell as an input GDAL opens: a GDAL path ({@code /vsizip/...}, {@code /vsicurl/...}) as written,
         *     any other path resolved against the list's folder; null when empty
         */
        public GdalPath input(String key) {
            String s = string(key);
            return s == null ? null : GdalPath.isVirtual(s) ? GdalPath.of(s) : GdalPath.of(path(key));
        }

        /** @return the cell as a path resolved against the list's folder, or null when empty */
        public Path path(String key) {
            String s = string(key);
            if (s == null) {
                return null;
            }
            if (s.startsWith("file:")) {
                s = java.net.URI.create(s).getPath();
            }
            Path p = Path.of(s);
            Path base = file.toAbsolutePath().getParent();
            return (p.isAbsolute() || base == null ? p : base.resolve(p)).normalize();
        }

        /** @return the cell as a whole number, or null when empty */
        public Long integer(String key) {
            if (!has(key)) {
                return null;
            }
            Object v = values.get(key);
            if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                return n.longValue();
            }
            try {
                return Long.parseLong(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                throw new JobUsageException(where() + ": " + key + " '" + v + "' is not a whole number; write e.g. 64");
            }
        }

        /** @return the cell as a number, or null when empty */
        public Double number(String key) {
            if (!has(key)) {
                return null;
            }
            Object v = values.get(key);
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                throw new JobUsageException(where() + ": " + key + " '" + v + "' is not a number; write e.g. 0.2");
            }
        }

        /** @return the cell as a boolean (true/false/yes/no/1/0), or null when empty */
        public Boolean bool(String key) {
            if (!has(key)) {
                return null;
            }
            Object v = values.get(key);
            if (v instanceof Boolean b) {
                return b;
            }
            return switch (String.valueOf(v).trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new JobUsageException(where() + ": " + key + " '" + v
                        + "' is not a boolean; write true or false");
            };
        }

        /** @return the cell as a list: an array cell, or text split at ';' or ','; null when empty */
        public List<String> list(String key) {
            if (!has(key)) {
                return null;
            }
            Object v = values.get(key);
            List<String> out = new ArrayList<>();
            if (v instanceof List<?> l) {
                l.forEach(x -> out.add(String.valueOf(x).trim()));
            } else {
                for (String s : String.valueOf(v).split("[;,]")) {
                    if (!s.isBlank()) {
                        out.add(s.trim());
                    }
                }
            }
            return out;
        }
    }

    /**
     * Reads a list.
     *
     * @param spark the session
     * @param file CSV (.csv), JSON (.json, .jsonl, .ndjson) or Parquet (.parquet, or a folder)
     * @param columns canonical column names the job understands
     * @param aliases other accepted spellings, normalised (lower case, no '_' or '-') to canonical names
     * @param required canonical columns every list must have
     * @return the rows
     * @throws SparkJobException for a missing or unreadable file, an unknown or missing column, or an empty list
     */
    public static SceneList read(SparkSession spark, Path file, List<String> columns, Map<String, String> aliases,
                                 List<String> required) {
        if (!Files.exists(file)) {
            throw new JobUsageException(file + ": scene list not found; pass a CSV, JSON or Parquet list of scenes"
                    + " (working directory: " + Path.of("").toAbsolutePath() + ")");
        }
        Dataset<Row> df = load(spark, file);
        Map<String, String> accepted = new LinkedHashMap<>();
        columns.forEach(c -> accepted.put(normalise(c), c));
        aliases.forEach((a, c) -> accepted.put(normalise(a), c));
        StructField[] fields = df.schema().fields();
        String[] canonical = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            String c = accepted.get(normalise(fields[i].name()));
            if (c == null) {
                throw new JobUsageException(file.getFileName() + ": unknown column '" + fields[i].name()
                        + "'; the columns are " + String.join(", ", columns) + " (case, '_' and '-' ignored)");
            }
            canonical[i] = c;
        }
        for (String r : required) {
            if (!List.of(canonical).contains(r)) {
                throw new JobUsageException(file.getFileName() + ": no '" + r + "' column (found "
                        + String.join(", ", df.columns()) + "); add a column '" + r + "' with one value per row");
            }
        }
        List<Row> rows;
        try {
            rows = df.collectAsList();
        } catch (RuntimeException e) {
            throw new JobUsageException(file.getFileName() + ": cannot read the scene list ("
                    + OneLine.of(rootMessage(e)) + "); check the file's format", e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < fields.length; i++) {
                if (row.isNullAt(i)) {
                    continue;
                }
                Object v = fields[i].dataType() instanceof ArrayType ? row.getList(i) : row.get(i);
                values.put(canonical[i], v);
            }
            if (!values.isEmpty()) {
                entries.add(new Entry(file, r + 1, Collections.unmodifiableMap(values)));
            }
        }
        if (entries.isEmpty()) {
            throw new JobUsageException(file.getFileName() + ": the scene list has no rows; add one row per scene");
        }
        return new SceneList(file, List.copyOf(entries));
    }

    private static Dataset<Row> load(SparkSession spark, Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String path = file.toAbsolutePath().toString();
        try {
            if (name.endsWith(".csv")) {
                return spark.read().option("header", "true").option("mode", "FAILFAST")
                        .option("ignoreLeadingWhiteSpace", "true").option("ignoreTrailingWhiteSpace", "true")
                        .csv(path);
            }
            if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
                return spark.read().option("mode", "FAILFAST").option("multiLine", jsonArray(file)).json(path);
            }
            if (name.endsWith(".parquet") || Files.isDirectory(file)) {
                return spark.read().parquet(path);
            }
        } catch (RuntimeException e) {
            throw new JobUsageException(file.getFileName() + ": cannot read the scene list ("
                    + OneLine.of(rootMessage(e)) + "); check the file's format", e);
        }
        throw new JobUsageException(file.getFileName() + ": unknown scene-list format; use .csv (with a header row),"
                + " .json/.jsonl (objects) or .parquet");
    }

    private static boolean jsonArray(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int c;
            while ((c = r.read()) >= 0) {
                if (!Character.isWhitespace(c)) {
                    return c == '[';
                }
            }
            return false;
        } catch (IOException e) {
            throw new JobUsageException(file + ": cannot read the scene list (" + e.getMessage()
                    + "); check permissions", e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : e.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** @return {@code name} lower-cased without '_', '-', ' ' and '.' */
    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[_\\-\\s.]", "");
    }
}
