package io.geolightning.geo;

import org.gdal.gdal.Band;

/**
 * A band's GDAL scale and offset (the {@code -a_scale}/{@code -a_offset} of {@code gdal_translate}; a physical value
 * is {@code stored * scale + offset}). geo-io reads stored values and never applies them, as rasterio does not: a
 * model normalises each band with its training mean and standard deviation, which a positive scale and an offset
 * shared by the training and predicted rasters leave unchanged.
 *
 * @param scale the scale, 1 when the band declares none
 * @param offset the offset, 0 when the band declares none
 */
public record BandScale(double scale, double offset) {

    /** @return true when the band declares a scale other than 1 or an offset other than 0 */
    public boolean isSet() {
        return scale != 1 || offset != 0;
    }

    static BandScale of(Band band) {
        Double[] scale = new Double[1];
        Double[] offset = new Double[1];
        band.GetScale(scale);
        band.GetOffset(offset);
        return new BandScale(scale[0] == null ? 1 : scale[0], offset[0] == null ? 0 : offset[0]);
    }
}
