package io.geolightning.trainer.callbacks;

import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.TrainerException;
import java.util.TreeSet;

/** Reads a monitored metric and fails clearly when it was never logged. */
final class Monitor {

    private Monitor() {}

    /**
     * Returns the monitored value, or null when it cannot exist yet (validation has not run), is an earlier epoch's
     * (validation did not run this epoch: {@code checkValEveryNEpoch > 1}), as Lightning's callbacks act only when
     * validation runs, or the latest validation did not log it (a class's precision when none of it was predicted).
     *
     * @throws TrainerException naming the available metrics when it should exist but does not
     */
    static Double value(Trainer trainer, String monitor, String owner) {
        Double v = trainer.callbackMetrics().get(monitor);
        if (v != null) {
            return trainer.isStale(monitor) ? null : v;
        }
        if (trainer.isStale(monitor)) { // an earlier validation logged it, the latest did not (undefined this time)
            return null;
        }
        if (trainer.hasValidation() && trainer.validationRuns() == 0) {
            return null;
        }
        throw new TrainerException(owner + " monitor '" + monitor + "' was never logged (logged metrics: "
                + new TreeSet<>(trainer.callbackMetrics().keySet()) + "); log it with log(\"" + monitor
                + "\", value) in the module or monitor one of those");
    }
}
