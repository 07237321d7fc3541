package io.geolightning.app.run;

import io.geolightning.app.config.CallbacksSection;
import io.geolightning.app.config.ConfigException;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.trainer.callbacks.CheckpointFilename;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Before a run folder is made, refuses a callback that monitors a metric the task never logs, or a checkpoint file
 * name that formats one ({@code callbacks.checkpoint.monitor: val_accuracy}, {@code {val_los}}): Lightning's callbacks
 * find out at the end of the first epoch, after the run wrote its folder; the task's metrics are known up front
 * ({@link LandUseTask#loggedMetrics}). Validation metrics are not checked when the data has no validation split (the
 * checkpoint then keeps the latest; early stopping on them is refused by the run itself). Also refuses image
 * predictions of bands the data does not have.
 */
final class CallbackChecks {

    private CallbackChecks() {
    }

    /**
     * @param callbacks the run's callbacks section
     * @param classNames the task's classes
     * @param hasVal whether the data has a validation split
     * @param bands the data's band count ({@code callbacks.imageBands} must name some of them)
     * @param valClasses the class ids the validation split holds (null: not known), read only when a class's metric
     *     is monitored
     * @throws ConfigException naming the key and the metrics the task logs, a band the data does not have, or a class
     *     whose metric is monitored and that the validation split lacks
     */
    static void require(CallbacksSection callbacks, List<String> classNames, boolean hasVal, int bands,
                        Supplier<Set<Integer>> valClasses) {
        if (callbacks.imagePredictions() > 0) {
            for (int b : callbacks.imageBands()) {
                if (b < 1 || b > bands) {
                    throw new ConfigException("callbacks.imageBands " + callbacks.imageBands() + ": band " + b
                            + " is not one of the data's bands 1.." + bands + "; pick bands that exist");
                }
            }
        }
        Set<String> logged = Set.copyOf(LandUseTask.loggedMetrics(classNames));
        ClassPresence present = new ClassPresence(classNames, valClasses);
        String monitor = callbacks.checkpoint().monitor();
        if (!monitor.isBlank() && (hasVal || !monitor.startsWith("val_"))) {
            check("callbacks.checkpoint.monitor '" + monitor + "'", monitor, logged, classNames);
            present.require("callbacks.checkpoint.monitor '" + monitor + "'", monitor);
            for (String field : CheckpointFilename.fields(callbacks.checkpoint().filename())) {
                if (!field.equals("epoch") && !field.equals("step")) {
                    check("callbacks.checkpoint.filename {" + field + "}", field, logged, classNames);
                    present.require("callbacks.checkpoint.filename {" + field + "}", field);
                }
            }
        }
        if (callbacks.earlyStopping().enabled()) {
            String es = callbacks.earlyStopping().monitor();
            check("callbacks.earlyStopping.monitor '" + es + "'", es, logged, classNames);
            present.require("callbacks.earlyStopping.monitor '" + es + "'", es);
        }
    }

    /** The classes of the validation split, read once when a class's validation metric is monitored. */
    private static final class ClassPresence {
        private final List<String> classNames;
        private final List<String> suffixes;
        private final Supplier<Set<Integer>> read;
        private Set<Integer> ids;

        ClassPresence(List<String> classNames, Supplier<Set<Integer>> read) {
            this.classNames = classNames;
            this.suffixes = LandUseTask.metricNames(classNames);
            this.read = read;
        }

        /** @param what the key and the value as the user wrote it, for the message */
        void require(String what, String metric) {
            int c = classOf(metric);
            if (c < 0) {
                return;
            }
            if (ids == null) {
                ids = read.get();
            }
            if (ids != null && !ids.contains(c)) {
                throw new ConfigException(what + ": the validation split holds no chip or pixel of class '"
                        + classNames.get(c) + "', so its recall is never defined and its precision, F1 and IoU are 0"
                        + " or undefined at every validation; monitor val_loss or a class the split holds, or tile"
                        + " again with another --seed or --block so that the val split holds some");
            }
        }

        /** @return the class of a {@code val_<precision|recall|f1|iou>_<class>} metric, or -1 */
        private int classOf(String metric) {
            for (String k : List.of("val_precision_", "val_recall_", "val_f1_", "val_iou_")) {
                if (metric.startsWith(k)) {
                    return suffixes.indexOf(metric.substring(k.length()));
                }
            }
            return -1;
        }
    }

    /** @param what the key and the value as the user wrote it, for the message */
    private static void check(String what, String metric, Set<String> logged, List<String> classNames) {
        if (!logged.contains(metric)) {
            String perClass = LandUseTask.loggedMetrics(classNames).stream().filter(m -> m.startsWith("val_iou_"))
                    .findFirst().orElse("val_iou_<class>");
            throw new ConfigException(what + ": the task logs no such metric; use val_loss, val_acc,"
                    + " val_miou, val_f1 (or train_loss, train_acc), or a class's val_iou_/val_f1_/val_precision_/"
                    + "val_recall_ (" + perClass + ")");
        }
    }
}
