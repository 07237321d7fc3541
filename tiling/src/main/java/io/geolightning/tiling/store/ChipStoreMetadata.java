package io.geolightning.tiling.store;

import io.geolightning.tiling.labels.LabelTask;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.geolightning.tiling.stats.BandStatistics;
import java.util.List;
import java.util.Map;

/**
 * The chip store's JSON sidecar ({@code chips.json}): everything a model needs besides the pixels.
 *
 * @param schemaVersion version of the Parquet schema and of this sidecar ({@link ChipStoreSchema#VERSION})
 * @param task what the labels are; written as "classification", "segmentation" or "none"
 * @param classNames class names indexed by class id
 * @param ignoreValue mask value meaning "ignore this pixel" (segmentation), or null
 * @param bands number of bands
 * @param dtype pixel data type id, e.g. "uint8"
 * @param chipWidth chip width in pixels
 * @param chipHeight chip height in pixels
 * @param nodata nodata value per band (null entries for none)
 * @param bandStatistics statistics of the training split, used for normalisation (null when there is no train split)
 * @param rowCounts rows per split id plus "total"
 * @param parts Parquet files of the store, relative to the store folder
 * @param configHash hash of the tiling configuration that produced the store
 * @param tilingConfig the tiling configuration, for people and tools
 * @param inputs fingerprints of the input files
 * @param codec Parquet compression codec
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChipStoreMetadata(int schemaVersion, LabelTask task, List<String> classNames, Integer ignoreValue,
                                int bands, String dtype, int chipWidth, int chipHeight, List<Double> nodata,
                                BandStatistics bandStatistics, Map<String, Long> rowCounts, List<String> parts,
                                String configHash, Map<String, Object> tilingConfig, List<InputFingerprint> inputs,
                                String codec) {

    /** @return rows of one split id ("train", ...), 0 when absent */
    public long rows(String split) {
        return rowCounts == null ? 0 : rowCounts.getOrDefault(split, 0L);
    }

    /**
     * @return the mask value of ignored pixels: {@code ignoreValue}, else the value tiling writes where nothing is
     *     known ({@link io.geolightning.tiling.labels.LabelConfig#DEFAULT_IGNORE_VALUE})
     */
    public int maskIgnoreValue() {
        return ignoreValue != null ? ignoreValue : io.geolightning.tiling.labels.LabelConfig.DEFAULT_IGNORE_VALUE;
    }

    /** @return nodata values as an array (null entries for none), or null when no band has one */
    public Double[] nodataArray() {
        return nodata == null ? null : nodata.toArray(new Double[0]);
    }
}
