package io.geolightning.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.geolightning.tiling.splits.Split;
import io.geolightning.tiling.stats.BandStatistics;
import io.geolightning.tiling.store.ChipStoreLayout;
import io.geolightning.tiling.store.ChipStoreMetadata;
import io.geolightning.tiling.store.ChipStoreSchema;
import io.geolightning.tiling.store.InputFingerprint;
import io.geolightning.tiling.store.SidecarJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Driver side of the tile job: turns the scenes' own sidecars into the ONE sidecar of the partitioned store. Scenes
 * that do not fit the first successful one (other band count, data type, chip size, task, classes, ignore value or
 * nodata) are turned into FAILED outcomes, since one store holds one kind of chip. Row counts are summed, part lists
 * concatenated in scene order and the training band statistics merged exactly (counts, means and squared deviations
 * combined with Chan's formula; a single scene's statistics are kept as they are).
 */
final class ChipStoreMerge {

    private ChipStoreMerge() {
    }

    /**
     * @param merged the store's sidecar, or null when no scene succeeded
     * @param outcomes every scene's outcome in list order, after the consistency check
     */
    record Result(ChipStoreMetadata merged, List<SceneTileOutcome> outcomes) {
    }

    /**
     * @param outcomes the tasks' outcomes, any order
     * @param jobDescription what produced the store (recorded in the sidecar and hashed)
     * @return the merged sidecar and the checked outcomes
     */
    static Result merge(List<SceneTileOutcome> outcomes, Map<String, Object> jobDescription) {
        List<SceneTileOutcome> sorted = outcomes.stream()
                .sorted((a, b) -> Integer.compare(a.index(), b.index())).toList();
        List<SceneTileOutcome> checked = new ArrayList<>();
        List<ChipStoreMetadata> metas = new ArrayList<>();
        Map<Integer, ChipStoreMetadata> byIndex = new LinkedHashMap<>();
        ChipStoreMetadata ref = null;
        String refName = null;
        for (SceneTileOutcome o : sorted) {
            if (o.status() != SceneStatus.OK) {
                checked.add(o);
                continue;
            }
            ChipStoreMetadata m = parse(o);
            String name = Path.of(o.raster()).getFileName().toString();
            if (ref == null) {
                ref = m;
                refName = name;
            } else {
                String mismatch = mismatch(ref, m);
                if (mismatch != null) {
                    checked.add(SceneTileOutcome.failed(o.index(), o.raster(), name + ": its chips have " + mismatch
                            .replace("%s", refName) + "; tile scenes of one sensor, chip size and class list into one"
                            + " store (give the rows the same 'classes', or use separate jobs)", o.seconds()));
                    continue;
                }
            }
            metas.add(m);
            byIndex.put(o.index(), m);
            checked.add(o);
        }
        if (ref == null) {
            return new Result(null, checked);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            counts.put(s.id(), metas.stream().mapToLong(m -> m.rows(s.id())).sum());
        }
        counts.put("total", metas.stream().mapToLong(m -> m.rows("total")).sum());
        List<String> parts = new ArrayList<>();
        metas.forEach(m -> parts.addAll(m.parts()));
        Map<String, InputFingerprint> inputs = new LinkedHashMap<>();
        metas.forEach(m -> m.inputs().forEach(f -> inputs.putIfAbsent(f.path(), f)));
        Map<String, Object> description = new LinkedHashMap<>(jobDescription);
        List<Map<String, Object>> scenes = new ArrayList<>();
        for (SceneTileOutcome o : checked) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("raster", o.raster());
            s.put("status", o.status().name());
            if (o.status() == SceneStatus.OK) {
                ChipStoreMetadata m = byIndex.get(o.index());
                s.put("rowCounts", m.rowCounts());
                s.put("config", m.tilingConfig());
            } else {
                s.put("error", o.error());
            }
            scenes.add(s);
        }
        description.put("scenes", scenes);
        ChipStoreMetadata merged = new ChipStoreMetadata(ChipStoreSchema.VERSION, ref.task(), ref.classNames(),
                ref.ignoreValue(), ref.bands(), ref.dtype(), ref.chipWidth(), ref.chipHeight(), ref.nodata(),
                mergeStatistics(metas.stream().map(ChipStoreMetadata::bandStatistics).toList()), counts, parts,
                hash(description), description, new ArrayList<>(inputs.values()), ref.codec());
        return new Result(merged, checked);
    }

    /**
     * Publishes the merged sidecar: removes part files of the folder that are not in it (earlier runs, failed
     * scenes), then writes {@code chips.json} atomically.
     */
    static void publish(Path store, ChipStoreMetadata merged) throws IOException {
        removePartsExcept(store, merged.parts());
        SidecarJson.write(new ChipStoreLayout(store).sidecar(), merged);
    }

    /** Deletes the {@code part-*.parquet} files of {@code store} whose names are not in {@code keep}. */
    static void removePartsExcept(Path store, List<String> keep) throws IOException {
        try (Stream<Path> s = Files.list(store)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("part-") && n.endsWith(".parquet") && !keep.contains(n)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Merges per-scene statistics of the training split.
     *
     * @param stats statistics per scene (null entries for scenes without training chips)
     * @return the statistics of all their pixels together, or null when there are none
     */
    static BandStatistics mergeStatistics(List<BandStatistics> stats) {
        List<BandStatistics> present = stats.stream().filter(Objects::nonNull).toList();
        if (present.isEmpty()) {
            return null;
        }
        if (present.size() == 1) {
            return present.get(0);
        }
        int bands = present.get(0).bands();
        long[] count = new long[bands];
        double[] mean = new double[bands];
        double[] m2 = new double[bands];
        double[] min = new double[bands];
        double[] max = new double[bands];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (BandStatistics s : present) {
            for (int b = 0; b < bands; b++) {
                long n = s.count()[b];
                if (n == 0) {
                    continue;
                }
                long total = count[b] + n;
                double delta = s.mean()[b] - mean[b];
                mean[b] += delta * n / total;
                m2[b] += s.std()[b] * s.std()[b] * n + delta * delta * ((double) count[b] * n / total);
                count[b] = total;
                min[b] = Math.min(min[b], s.min()[b]);
                max[b] = Math.max(max[b], s.max()[b]);
            }
        }
        double[] std = new double[bands];
        for (int b = 0; b < bands; b++) {
            if (count[b] == 0) {
                mean[b] = std[b] = min[b] = max[b] = Double.NaN;
            } else {
                std[b] = Math.sqrt(m2[b] / count[b]);
            }
        }
        return new BandStatistics(count, mean, std, min, max);
    }

    private static String mismatch(ChipStoreMetadata ref, ChipStoreMetadata m) {
        if (m.bands() != ref.bands() || !m.dtype().equals(ref.dtype())) {
            return m.bands() + " bands of " + m.dtype() + " but %s has " + ref.bands() + " of " + ref.dtype();
        }
        if (m.chipWidth() != ref.chipWidth() || m.chipHeight() != ref.chipHeight()) {
            return m.chipWidth() + "x" + m.chipHeight() + " px but %s has " + ref.chipWidth() + "x" + ref.chipHeight();
        }
        if (m.task() != ref.task()) {
            return "task " + m.task().id() + " but %s has " + ref.task().id();
        }
        if (!Objects.equals(m.classNames(), ref.classNames())) {
            return "classes " + m.classNames() + " but %s has " + ref.classNames();
        }
        if (!Objects.equals(m.ignoreValue(), ref.ignoreValue())) {
            return "ignore value " + m.ignoreValue() + " but %s has " + ref.ignoreValue();
        }
        if (!Objects.equals(m.nodata(), ref.nodata())) {
            return "nodata " + m.nodata() + " but %s has " + ref.nodata();
        }
        return null;
    }

    private static ChipStoreMetadata parse(SceneTileOutcome o) {
        try {
            return SidecarJson.MAPPER.readValue(o.sidecarJson(), ChipStoreMetadata.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sidecar of " + o.raster() + " does not parse: " + e.getMessage(), e);
        }
    }

    private static String hash(Map<String, Object> description) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(("v" + ChipStoreSchema.VERSION).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(SidecarJson.MAPPER.writeValueAsBytes(description)));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
