package io.geolightning.tiling.labels;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.geolightning.tiling.TilingException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The one vocabulary for what a label (and a network) is: one class per chip, one class per pixel, or nothing
 * (prediction chips). Tiling, the chip store's sidecar, the loaders, the networks and the application all use it;
 * on disk it is written as its lower-case id ("classification", "segmentation", "none").
 */
public enum LabelTask {
    /** One class per chip; a network outputs N x C logits. */
    CLASSIFICATION,
    /** One class per pixel (a mask); a network outputs N x C x H x W logits. */
    SEGMENTATION,
    /** No labels (prediction chips). */
    NONE;

    /** @return the lower-case id written to the sidecar */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an id ("classification", "segmentation", "none"; case-insensitive), failing with a one-line message.
     *
     * @param id the id
     * @return the task
     */
    @JsonCreator
    public static LabelTask parse(String id) {
        for (LabelTask t : values()) {
            if (t.id().equalsIgnoreCase(id)) {
                return t;
            }
        }
        throw new TilingException("task '" + id + "': unknown; use one of "
                + Arrays.stream(values()).map(LabelTask::id).toList());
    }
}
