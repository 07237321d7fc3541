package io.geolightning.trainer.callbacks;

import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.TrainerException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training when a monitored metric has not improved by more than {@code minDelta} for {@code patience}
 * consecutive checks, like Lightning's {@code EarlyStopping}: one check per epoch end (after its validation), or,
 * when an epoch validates more than once ({@code valCheckInterval} below one epoch), one check after every
 * validation, patience then counting validations and a stop ending the epoch right there. Stopping is logged at INFO
 * naming the metric, its best value and the epoch (and step, per validation) it was reached. A non-finite value stops
 * at once when {@code checkFinite}.
 */
public final class EarlyStopping implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final Mode mode;
    private final boolean checkFinite;
    private double best;
    private int bestEpoch = -1;
    /** Global step of the best value when checked per validation, else -1. */
    private long bestStep = -1;
    private int wait;
    private int stoppedEpoch = -1;
    private String stopReason;

    private EarlyStopping(Builder b) {
        if (b.monitor == null || b.monitor.isBlank()) {
            throw new TrainerException("EarlyStopping monitor is blank; pass the metric name, e.g. \"val_loss\"");
        }
        if (b.patience < 0 || !(b.minDelta >= 0)) {
            throw new TrainerException("EarlyStopping patience " + b.patience + " / minDelta " + b.minDelta
                    + " must be >= 0; pass e.g. patience(3).minDelta(0)");
        }
        monitor = b.monitor;
        patience = b.patience;
        minDelta = b.minDelta;
        mode = b.mode;
        checkFinite = b.checkFinite;
        best = mode.worst();
    }

    /**
     * @param monitor the metric to watch
     * @return a builder (patience 3, minDelta 0, mode MIN)
     */
    public static Builder builder(String monitor) {
        return new Builder(monitor);
    }

    @Override
    public void onValidationEnd(Trainer trainer, LightningModule module) {
        if (trainer.stage() == Stage.FIT && trainer.validatesWithinEpoch()) { // in a fit; not Trainer.validate
            check(trainer, true);
        }
    }

    @Override
    public void onTrainEpochEnd(Trainer trainer, LightningModule module) {
        if (!trainer.validatesWithinEpoch()) {
            check(trainer, false);
        }
    }

    private void check(Trainer trainer, boolean perValidation) {
        Double value = Monitor.value(trainer, monitor, "EarlyStopping");
        if (value == null) {
            return;
        }
        int epoch = trainer.currentEpoch();
        long step = perValidation ? trainer.globalStep() : -1;
        if (checkFinite && !Double.isFinite(value)) {
            stop(trainer, epoch, monitor + " = " + value + " is not finite at " + at(epoch, step)
                    + "; best " + monitor + " = " + best + " at " + at(bestEpoch, bestStep));
            return;
        }
        if (mode.improves(value, best, minDelta)) {
            best = value;
            bestEpoch = epoch;
            bestStep = step;
            wait = 0;
            return;
        }
        wait++;
        if (wait >= patience) {
            stop(trainer, epoch, "EarlyStopping: " + monitor + " did not improve by more than " + minDelta + " for "
                    + wait + (perValidation ? " validation(s)" : " epoch(s)") + "; best " + monitor + " = "
                    + String.format(Locale.ROOT, "%.6g", best) + " at " + at(bestEpoch, bestStep)
                    + ", stopping at " + at(epoch, step));
        }
    }

    /** @return "epoch E", or "epoch E step S" for a check after a validation within the epoch */
    private static String at(int epoch, long step) {
        return step < 0 ? "epoch " + epoch : "epoch " + epoch + " step " + step;
    }

    private void stop(Trainer trainer, int epoch, String reason) {
        stoppedEpoch = epoch;
        stopReason = reason;
        LOG.info(reason);
        trainer.requestStop(reason);
    }

    /** @return the best value seen */
    public double bestScore() {
        return best;
    }

    /** @return the epoch of the best value, -1 before any */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** @return the epoch training was stopped at, -1 if it was not */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** @return the stop message, or null */
    public String stopReason() {
        return stopReason;
    }

    @Override
    public String stateKey() {
        return "EarlyStopping{" + monitor + "}";
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("best", Double.isFinite(best) ? best : null);
        s.put("bestEpoch", bestEpoch);
        s.put("bestStep", bestStep);
        s.put("wait", wait);
        s.put("stoppedEpoch", stoppedEpoch);
        return s;
    }

    @Override
    public void loadStateDict(Map<String, Object> state) {
        Object b = state.get("best");
        best = b == null ? mode.worst() : ((Number) b).doubleValue();
        bestEpoch = ((Number) state.getOrDefault("bestEpoch", -1)).intValue();
        bestStep = ((Number) state.getOrDefault("bestStep", -1)).longValue();
        wait = ((Number) state.getOrDefault("wait", 0)).intValue();
        stoppedEpoch = ((Number) state.getOrDefault("stoppedEpoch", -1)).intValue();
    }

    /** Builder of {@link EarlyStopping}. */
    public static final class Builder {
        private final String monitor;
        private int patience = 3;
        private double minDelta;
        private Mode mode = Mode.MIN;
        private boolean checkFinite = true;

        private Builder(String monitor) {
            this.monitor = monitor;
        }

        /** @param v checks (epochs, or validations within epochs) without improvement before stopping @return this */
        public Builder patience(int v) {
            patience = v;
            return this;
        }

        /** @param v minimum change that counts as improvement @return this */
        public Builder minDelta(double v) {
            minDelta = v;
            return this;
        }

        /** @param v MIN for losses, MAX for scores @return this */
        public Builder mode(Mode v) {
            mode = v;
            return this;
        }

        /** @param v stop at once on NaN/Inf @return this */
        public Builder checkFinite(boolean v) {
            checkFinite = v;
            return this;
        }

        /** @return the callback */
        public EarlyStopping build() {
            return new EarlyStopping(this);
        }
    }
}
