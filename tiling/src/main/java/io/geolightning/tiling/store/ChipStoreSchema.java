package io.geolightning.tiling.store;

import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;

import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/** The Parquet schema of a chip store, one row per chip. Column names are public constants. */
public final class ChipStoreSchema {
    /** Version written to the sidecar and the file metadata; bump when columns change. */
    public static final int VERSION = 1;
    public static final String CHIP_ID = "chip_id";
    public static final String SCENE = "scene";
    public static final String CRS = "crs";
    public static final String X = "x";
    public static final String Y = "y";
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";
    public static final String MINX = "minx";
    public static final String MINY = "miny";
    public static final String MAXX = "maxx";
    public static final String MAXY = "maxy";
    public static final String SPLIT = "split";
    public static final String LABEL = "label";
    public static final String MASK = "mask";
    public static final String BANDS = "bands";
    public static final String DTYPE = "dtype";
    public static final String PIXELS = "pixels";

    /** Columns without the pixel and mask payloads: cheap to scan. */
    public static final List<String> METADATA_COLUMNS = List.of(CHIP_ID, SCENE, CRS, X, Y, WIDTH, HEIGHT, MINX, MINY,
            MAXX, MAXY, SPLIT, LABEL, BANDS, DTYPE);

    /** The full schema. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(BINARY).as(stringType()).named(CHIP_ID)
            .required(BINARY).as(stringType()).named(SCENE)
            .required(BINARY).as(stringType()).named(CRS)
            .required(INT32).named(X)
            .required(INT32).named(Y)
            .required(INT32).named(WIDTH)
            .required(INT32).named(HEIGHT)
            .required(DOUBLE).named(MINX)
            .required(DOUBLE).named(MINY)
            .required(DOUBLE).named(MAXX)
            .required(DOUBLE).named(MAXY)
            .required(BINARY).as(stringType()).named(SPLIT)
            .optional(INT32).named(LABEL)
            .optional(BINARY).named(MASK)
            .required(INT32).named(BANDS)
            .required(BINARY).as(stringType()).named(DTYPE)
            .required(BINARY).named(PIXELS)
            .named("chip");

    private ChipStoreSchema() {
    }

    /** The schema restricted to some columns, in schema order. */
    public static MessageType project(java.util.Collection<String> columns) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (org.apache.parquet.schema.Type t : SCHEMA.getFields()) {
            if (columns.contains(t.getName())) {
                b.addField(t);
            }
        }
        return b.named("chip");
    }
}
