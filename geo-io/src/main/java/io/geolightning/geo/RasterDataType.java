package io.geolightning.geo;

import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconstConstants;

/** Pixel data types geo-io reads and writes, mapped to GDAL's {@code GDT_*} codes. */
public enum RasterDataType {
    UINT8(gdalconstConstants.GDT_Byte, 1, false, false),
    INT8(gdalconstConstants.GDT_Byte, 1, true, false),
    UINT16(gdalconstConstants.GDT_UInt16, 2, false, false),
    INT16(gdalconstConstants.GDT_Int16, 2, true, false),
    UINT32(gdalconstConstants.GDT_UInt32, 4, false, false),
    INT32(gdalconstConstants.GDT_Int32, 4, true, false),
    FLOAT32(gdalconstConstants.GDT_Float32, 4, true, true),
    FLOAT64(gdalconstConstants.GDT_Float64, 8, true, true);

    private final int gdalType;
    private final int bytes;
    private final boolean signed;
    private final boolean floating;

    RasterDataType(int gdalType, int bytes, boolean signed, boolean floating) {
        this.gdalType = gdalType;
        this.bytes = bytes;
        this.signed = signed;
        this.floating = floating;
    }

    /** GDAL's {@code GDT_*} code (INT8 is stored as GDT_Byte with PIXELTYPE=SIGNEDBYTE, as GDAL 3.6 does). */
    public int gdalType() {
        return gdalType;
    }

    /** Bytes per sample. */
    public int bytes() {
        return bytes;
    }

    /** True for signed integer and floating-point types. */
    public boolean isSigned() {
        return signed;
    }

    /** True for FLOAT32 and FLOAT64. */
    public boolean isFloatingPoint() {
        return floating;
    }

    /** Smallest value the type holds. */
    public double minValue() {
        return switch (this) {
            case UINT8, UINT16, UINT32 -> 0;
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case FLOAT32 -> -Float.MAX_VALUE;
            case FLOAT64 -> -Double.MAX_VALUE;
        };
    }

    /** Largest value the type holds. */
    public double maxValue() {
        return switch (this) {
            case UINT8 -> 255;
            case INT8 -> Byte.MAX_VALUE;
            case UINT16 -> 65535;
            case INT16 -> Short.MAX_VALUE;
            case UINT32 -> 4294967295.0;
            case INT32 -> Integer.MAX_VALUE;
            case FLOAT32 -> Float.MAX_VALUE;
            case FLOAT64 -> Double.MAX_VALUE;
        };
    }

    /** True when {@code value} is representable exactly (integers in range; any finite value or NaN for floats). */
    public boolean canHold(double value) {
        if (floating) {
            return Double.isNaN(value) || (value >= minValue() && value <= maxValue()) || Double.isInfinite(value);
        }
        return value == Math.rint(value) && value >= minValue() && value <= maxValue();
    }

    /**
     * The type that holds every band of a dataset: band 1's, or for bands of mixed types (a VRT stacking a Byte and a
     * UInt16 band, say) GDAL's union of them, so that reading all bands as one type clamps none of them to another's
     * range; a signed-byte band ({@code PIXELTYPE=SIGNEDBYTE}) counts as Int16 among bands of other types.
     *
     * @param ds the dataset (at least one band)
     * @param path its path, for the message
     * @return the type
     * @throws GeoIOException for a type geo-io does not handle (complex, 64-bit integers)
     */
    static RasterDataType ofBands(Dataset ds, GdalPath path) {
        int code = -1;
        boolean allSignedBytes = true;
        for (int i = 1; i <= ds.getRasterCount(); i++) {
            Band b = ds.GetRasterBand(i);
            int t = b.getDataType();
            boolean signedByte = t == gdalconstConstants.GDT_Byte
                    && "SIGNEDBYTE".equals(b.GetMetadataItem("PIXELTYPE", "IMAGE_STRUCTURE"));
            allSignedBytes &= signedByte;
            int c = signedByte ? gdalconstConstants.GDT_Int16 : t;
            code = code < 0 ? c : gdal.DataTypeUnion(code, c);
        }
        RasterDataType type = allSignedBytes ? INT8 : fromGdalOrNull(code);
        if (type == null) {
            throw GeoIOException.of(path, "pixel type " + gdal.GetDataTypeName(code) + " is not supported",
                    "convert it with gdal_translate -ot Float32 (or Int32)");
        }
        return type;
    }

    /** Like {@link #fromGdal(int)} but null for unsupported types. */
    static RasterDataType fromGdalOrNull(int gdalType) {
        for (RasterDataType t : values()) {
            if (t.gdalType == gdalType && t != INT8) {
                return t;
            }
        }
        return null;
    }

    /**
     * Maps a GDAL {@code GDT_*} code to a type.
     *
     * @throws GeoIOException for types geo-io does not handle (complex, 64-bit integers)
     */
    public static RasterDataType fromGdal(int gdalType) {
        for (RasterDataType t : values()) {
            if (t.gdalType == gdalType && t != INT8) {
                return t;
            }
        }
        throw new GeoIOException("GDAL data type " + gdalType + ": not supported by geo-io (complex or 64-bit"
                + " integer); convert the raster with gdal_translate -ot Float32 or another supported type");
    }
}
