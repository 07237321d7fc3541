package io.geolightning.app.run;

import io.geolightning.app.config.CallbacksSection;
import io.geolightning.app.config.ConfigException;
import io.geolightning.models.tasks.LandUseTask;
import io.geolightning.trainer.callbacks.CheckpointFilename;
import java.util.List;
import java.util.Set;

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
     * @throws ConfigException naming the key and the metrics the task logs, or a band the data does not have
     */
    static void require(CallbacksSection callbacks, List<String> classNames, boolean hasVal, int bands) {
        if (callbacks.imagePredictions() > 0) {
            for (int b : callbacks.imageBands()) {
                if (b < 1 || b > bands) {
                    throw new ConfigException("callbacks.imageBands " + callbacks.imageBands() + ": band " + b
                            + " is not one of the data's bands 1.." + bands + "; pick bands that exist");
                }
            }
        }
        Set<String> logged = Set.copyOf(LandUseTask.loggedMetrics(classNames));
        String monitor = callbacks.checkpoint().monitor();
        if (!monitor.isBlank() && (hasVal || !monitor.startsWith("val_"))) {
            check("callbacks.checkpoint.monitor '" + monitor + "'", monitor, logged, classNames);
            for (String field : CheckpointFilename.fields(callbacks.checkpoint().filename())) {
                if (!field.equals("epoch") && !field.equals("step")) {
                    check("callbacks.checkpoint.filename {" + field + "}", field, logged, classNames);
                }
            }
        }
        if (callbacks.earlyStopping().enabled()) {
            String es = callbacks.earlyStopping().monitor();
            check("callbacks.earlyStopping.monitor '" + es + "'", es, logged, classNames);
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
