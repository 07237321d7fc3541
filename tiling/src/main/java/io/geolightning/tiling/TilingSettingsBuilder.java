package io.geolightning.tiling;

import java.util.List;

/** Builder of {@link TilingSettings} (from {@link TilingSettings#builder()}); every value unset means its default. */
public final class TilingSettingsBuilder {
    private String labels;
    private String layer;
    private String labelField;
    private String mode;
    private List<String> classes;
    private String background;
    private Integer ignoreValue;
    private Double minCoverage;
    private Boolean allTouched;
    private Integer chipSize;
    private Integer stride;
    private String edge;
    private Double maxNodata;
    private String split;
    private String unknown;
    private Double val;
    private Double test;
    private String block;
    private Long seed;

    /** A builder holding the defaults. */
    TilingSettingsBuilder() {
    }

    /** @param from the settings to start from ({@code stride} and {@code seed} as given, possibly unset) */
    TilingSettingsBuilder(TilingSettings from) {
        labels = from.labels();
        layer = from.layer();
        labelField = from.labelField();
        mode = from.mode();
        classes = from.classes();
        background = from.background();
        ignoreValue = from.ignoreValue();
        minCoverage = from.minCoverage();
        allTouched = from.allTouched();
        unknown = from.unknown();
        chipSize = from.chipSize();
        stride = from.stride();
        edge = from.edge();
        maxNodata = from.maxNodata();
        split = from.split();
        val = from.val();
        test = from.test();
        block = from.block();
        seed = from.seed();
    }

    /** @param v vector labels file @return this */
    public TilingSettingsBuilder labels(String v) {
        labels = v;
        return this;
    }

    /** @param v vector layer @return this */
    public TilingSettingsBuilder layer(String v) {
        layer = v;
        return this;
    }

    /** @param v attribute holding the class @return this */
    public TilingSettingsBuilder labelField(String v) {
        labelField = v;
        return this;
    }

    /** @param v classification or segmentation @return this */
    public TilingSettingsBuilder mode(String v) {
        mode = v;
        return this;
    }

    /** @param v class names in id order @return this */
    public TilingSettingsBuilder classes(List<String> v) {
        classes = v;
        return this;
    }

    /** @param v class of uncovered chips/pixels @return this */
    public TilingSettingsBuilder background(String v) {
        background = v;
        return this;
    }

    /** @param v mask value meaning "ignore" @return this */
    public TilingSettingsBuilder ignoreValue(Integer v) {
        ignoreValue = v;
        return this;
    }

    /** @param v share of a chip its class must cover @return this */
    public TilingSettingsBuilder minCoverage(Double v) {
        minCoverage = v;
        return this;
    }

    /** @param v burn every touched pixel @return this */
    public TilingSettingsBuilder allTouched(Boolean v) {
        allTouched = v;
        return this;
    }

    /** @param v chip side in pixels @return this */
    public TilingSettingsBuilder chipSize(Integer v) {
        chipSize = v;
        return this;
    }

    /** @param v grid step in pixels (null: the chip size) @return this */
    public TilingSettingsBuilder stride(Integer v) {
        stride = v;
        return this;
    }

    /** @param v drop, shift or pad @return this */
    public TilingSettingsBuilder edge(String v) {
        edge = v;
        return this;
    }

    /** @param v nodata threshold @return this */
    public TilingSettingsBuilder maxNodata(Double v) {
        maxNodata = v;
        return this;
    }

    /** @param v spatial, random or none @return this */
    public TilingSettingsBuilder split(String v) {
        split = v;
        return this;
    }

    /** @param v validation fraction @return this */
    public TilingSettingsBuilder val(Double v) {
        val = v;
        return this;
    }

    /** @param v test fraction @return this */
    public TilingSettingsBuilder test(Double v) {
        test = v;
        return this;
    }

    /** @param v spatial block size @return this */
    public TilingSettingsBuilder block(String v) {
        block = v;
        return this;
    }

    /** @param v split seed @return this */
    public TilingSettingsBuilder seed(Long v) {
        seed = v;
        return this;
    }

    /** @param v unknown label values: error or ignore @return this */
    public TilingSettingsBuilder unknown(String v) {
        unknown = v;
        return this;
    }

    /** @return the settings, defaults filled */
    public TilingSettings build() {
        return new TilingSettings(labels, layer, labelField, mode, classes, background, ignoreValue, minCoverage,
                allTouched, chipSize, stride, edge, maxNodata, split, val, test, block, seed, unknown);
    }
}
