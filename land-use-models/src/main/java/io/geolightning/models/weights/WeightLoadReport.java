package io.geolightning.models.weights;

import java.util.List;

/**
 * What loading pretrained weights did, tensor by tensor (torchvision names).
 *
 * @param file the weights file
 * @param loaded tensors copied as they are
 * @param adapted tensors adapted (the first convolution to another band count, timm's rule)
 * @param reinitialised the model's tensors left at their fresh initialisation (a classifier of another class count,
 *     or one the file does not hold)
 * @param unused tensors of the file the model has no place for (e.g. {@code num_batches_tracked})
 */
public record WeightLoadReport(String file, List<String> loaded, List<String> adapted, List<String> reinitialised,
                               List<String> unused) {

    /** Copies the lists. */
    public WeightLoadReport {
        loaded = List.copyOf(loaded);
        adapted = List.copyOf(adapted);
        reinitialised = List.copyOf(reinitialised);
        unused = List.copyOf(unused);
    }

    /** @return one line: counts and the names of adapted and re-initialised tensors */
    public String summary() {
        return file + ": " + loaded.size() + " tensors loaded, " + adapted.size() + " adapted" + (adapted.isEmpty() ? ""
                : " " + adapted) + ", " + reinitialised.size() + " re-initialised" + (reinitialised.isEmpty() ? ""
                : " " + reinitialised) + ", " + unused.size() + " unused";
    }
}
