package io.geolightning.tiling.labels;

import io.geolightning.tiling.TilingException;

/**
 * How a chip's class is chosen from the polygons over it: the class covering the largest area wins if it covers at
 * least {@code minCoverage} of the chip; otherwise the chip becomes the background class (when the label config has
 * one) or is skipped. {@code minCoverage} 0 is plain majority by area ("any overlap").
 *
 * @param minCoverage fraction of the chip area the winning class must cover, 0..1
 */
public record ClassificationRule(double minCoverage) {

    /** Validates. */
    public ClassificationRule {
        if (!(minCoverage >= 0 && minCoverage <= 1)) {
            throw new TilingException("classification min coverage " + minCoverage + ": must be between 0 and 1");
        }
    }

    /** Majority class by area, whatever its coverage (chips touching no polygon fall back). */
    public static ClassificationRule majority() {
        return new ClassificationRule(0);
    }

    /** The majority class must cover at least {@code fraction} of the chip. */
    public static ClassificationRule minCoverage(double fraction) {
        return new ClassificationRule(fraction);
    }
}
