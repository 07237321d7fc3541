package io.geolightning.app.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.geolightning.tiling.data.Augmentation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code data.augment}: how training chips are augmented. {@code true} flips them and rotates them by multiples of 90
 * degrees (image and mask together), {@code false} (the default) leaves them as they are; a mapping adds photometric
 * changes of the image, on its normalised values: {@code {brightness: 0.2, contrast: 0.2, noise: 0.05}} (flips and
 * rotations stay on unless {@code flips: false} or {@code rotate90: false}). Validation, test and prediction chips are
 * never augmented.
 *
 * @param flips random horizontal and vertical flips (default true in a mapping)
 * @param rotate90 random rotations of square chips by 0, 90, 180 or 270 degrees (default true in a mapping)
 * @param brightness largest brightness offset, in standard deviations of each band (default 0: off)
 * @param contrast largest relative contrast change, below 1 (default 0: off)
 * @param noise standard deviation of per-pixel Gaussian noise, in standard deviations of each band (default 0: off)
 */
public record AugmentSection(Boolean flips, Boolean rotate90, Double brightness, Double contrast, Double noise) {

    /** Fills defaults and checks the ranges. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public AugmentSection(@JsonProperty("flips") Boolean flips, @JsonProperty("rotate90") Boolean rotate90,
                          @JsonProperty("brightness") Double brightness, @JsonProperty("contrast") Double contrast,
                          @JsonProperty("noise") Double noise) {
        this.flips = flips == null ? Boolean.TRUE : flips;
        this.rotate90 = rotate90 == null ? Boolean.TRUE : rotate90;
        this.brightness = atLeastZero("brightness", brightness, "offset");
        this.contrast = atLeastZero("contrast", contrast, "change");
        this.noise = atLeastZero("noise", noise, "standard deviation");
        if (this.contrast >= 1) {
            throw new ConfigException("data.augment.contrast " + this.contrast + ": must be below 1 (values are"
                    + " scaled by a factor between 1 - contrast and 1 + contrast)");
        }
    }

    private static double atLeastZero(String key, Double v, String what) {
        if (v == null) {
            return 0.0;
        }
        if (!(v >= 0) || v.isInfinite()) {
            throw new ConfigException("data.augment." + key + " " + v + ": must be a " + what + " of at least 0, in"
                    + " standard deviations of each band (0 turns it off)");
        }
        return v;
    }

    /**
     * {@code augment: true} or {@code false}.
     *
     * @param on whether to flip and rotate training chips
     * @return the section
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static AugmentSection of(boolean on) {
        return new AugmentSection(on, on, null, null, null);
    }

    /** @return no augmentation ({@code augment: false}) */
    public static AugmentSection off() {
        return of(false);
    }

    /** @return the loaders' augmentation */
    public Augmentation toAugmentation() {
        return new Augmentation(flips ? 0.5 : 0, rotate90, brightness, contrast, noise);
    }

    /**
     * @return {@code true} or {@code false} when the section is one of those, else the mapping, as the resolved
     *     configuration shows it
     */
    @JsonValue
    public Object toYaml() {
        boolean photometric = brightness > 0 || contrast > 0 || noise > 0;
        if (!photometric && flips.equals(rotate90)) {
            return flips;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("flips", flips);
        map.put("rotate90", rotate90);
        map.put("brightness", brightness);
        map.put("contrast", contrast);
        map.put("noise", noise);
        return map;
    }
}
