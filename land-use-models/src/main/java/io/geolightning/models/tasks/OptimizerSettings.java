package io.geolightning.models.tasks;

import io.geolightning.models.nn.ModelException;
import io.geolightning.trainer.optim.Adam;
import io.geolightning.trainer.optim.AdamW;
import io.geolightning.trainer.optim.ConstantLr;
import io.geolightning.trainer.optim.CosineWarmupLr;
import io.geolightning.trainer.optim.LightningOptimizer;
import io.geolightning.trainer.optim.LrSchedule;
import io.geolightning.trainer.optim.Sgd;
import io.geolightning.trainer.optim.StepLr;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Optimizer hyperparameters of a task, turned into a trainer optimizer by {@link #build()}.
 *
 * @param optimizer {@code adam}, {@code adamw} or {@code sgd}
 * @param lr base learning rate
 * @param weightDecay weight decay (L2 for adam/sgd, decoupled for adamw)
 * @param momentum SGD momentum (ignored by Adam)
 * @param schedule {@code constant}, {@code cosine} (linear warm-up then cosine to 0 at {@code totalSteps}) or
 *     {@code step} (multiply by {@code gamma} every {@code stepSize} epochs)
 * @param warmupSteps warm-up optimizer steps for {@code cosine}
 * @param totalSteps total optimizer steps for {@code cosine} (epochs x batches per epoch)
 * @param stepSize epochs between decays for {@code step}
 * @param gamma decay factor for {@code step}
 * @param backboneLr the backbone's own base learning rate (a pretrained encoder is usually tuned at a tenth of the
 *     head's), following the same schedule; 0: the backbone uses {@code lr}
 */
public record OptimizerSettings(String optimizer, double lr, double weightDecay, double momentum, String schedule,
                                long warmupSteps, long totalSteps, long stepSize, double gamma, double backboneLr) {

    /** Normalises names and validates values. */
    public OptimizerSettings {
        optimizer = optimizer == null ? "adamw" : optimizer.trim().toLowerCase(Locale.ROOT);
        schedule = schedule == null ? "constant" : schedule.trim().toLowerCase(Locale.ROOT);
        if (!optimizer.equals("adam") && !optimizer.equals("adamw") && !optimizer.equals("sgd")) {
            throw bad("optimizer", "'" + optimizer + "'", "is ", "unknown; use adam, adamw or sgd");
        }
        if (!schedule.equals("constant") && !schedule.equals("cosine") && !schedule.equals("step")) {
            throw bad("schedule", "'" + schedule + "'", "lr schedule", "is ", "unknown; use constant, cosine or step");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw bad("lr", lr, "learning rate", "is ", "not a positive number; pass e.g. 1e-3");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw bad("weightDecay", weightDecay, "weight decay", "is ", "not a number >= 0; pass e.g. 1e-4");
        }
        if (!(backboneLr >= 0) || Double.isInfinite(backboneLr)) {
            throw bad("backboneLr", backboneLr, "is ", "not a number >= 0; pass e.g. 1e-4, or 0 to train the backbone"
                    + " at lr");
        }
        if (optimizer.equals("sgd") && !(momentum >= 0 && momentum < 1)) {
            throw bad("momentum", momentum, "is ", "outside [0, 1); pass e.g. 0.9");
        }
        if (warmupSteps < 0) {
            throw bad("warmupSteps", warmupSteps, "is ", "negative; pass 0 or more steps");
        }
        if (schedule.equals("cosine") && totalSteps <= warmupSteps) {
            throw new ModelException("cosine schedule: totalSteps " + totalSteps + " must exceed warmupSteps "
                    + warmupSteps + "; set totalSteps to epochs x batches per epoch");
        }
        if (schedule.equals("step") && stepSize <= 0) {
            throw ModelException.badOption("stepSize", stepSize, "must be positive; pass e.g. 10 epochs",
                    "step schedule: stepSize " + stepSize + " must be positive; pass e.g. 10 epochs");
        }
    }

    private static ModelException bad(String option, Object value, String link, String problem) {
        return bad(option, value, option, link, problem);
    }

    /** @return a bad value of {@code option}, whose message names it {@code named} ({@code learning rate 0 is ...}) */
    private static ModelException bad(String option, Object value, String named, String link, String problem) {
        return ModelException.badOption(option, value, problem, named + " " + value + " " + link + problem);
    }

    /** @return AdamW, lr 1e-3, weight decay 1e-4, constant schedule */
    public static OptimizerSettings defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.optimizer = optimizer;
        b.lr = lr;
        b.weightDecay = weightDecay;
        b.momentum = momentum;
        b.schedule = schedule;
        b.warmupSteps = warmupSteps;
        b.totalSteps = totalSteps;
        b.stepSize = stepSize;
        b.gamma = gamma;
        b.backboneLr = backboneLr;
        return b;
    }

    /** @return the learning-rate schedule */
    public LrSchedule lrSchedule() {
        return switch (schedule) {
            case "cosine" -> new CosineWarmupLr(lr, 0, warmupSteps, totalSteps);
            case "step" -> new StepLr(lr, stepSize, gamma, true);
            default -> new ConstantLr(lr);
        };
    }

    /** @return the backbone's learning rate divided by {@code lr} (1 when {@code backboneLr} is 0) */
    public double backboneLrFactor() {
        return backboneLr > 0 ? backboneLr / lr : 1.0;
    }

    /** @return a new optimizer for the trainer */
    public LightningOptimizer build() {
        LrSchedule s = lrSchedule();
        return switch (optimizer) {
            case "sgd" -> Sgd.builder().lr(lr).schedule(s).momentum(momentum).weightDecay(weightDecay).build();
            case "adam" -> Adam.builder().lr(lr).schedule(s).weightDecay(weightDecay).build();
            default -> AdamW.builder().lr(lr).schedule(s).weightDecay(weightDecay).build();
        };
    }

    /** @return a JSON-friendly map */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("weightDecay", weightDecay);
        m.put("momentum", momentum);
        m.put("schedule", schedule);
        m.put("warmupSteps", warmupSteps);
        m.put("totalSteps", totalSteps);
        m.put("stepSize", stepSize);
        m.put("gamma", gamma);
        m.put("backboneLr", backboneLr);
        return m;
    }

    /**
     * @param m a map written by {@link #toMap()}; missing keys take the defaults
     * @return the settings
     */
    public static OptimizerSettings fromMap(Map<String, ?> m) {
        Builder b = builder();
        if (m == null) {
            return b.build();
        }
        if (m.get("optimizer") != null) {
            b.optimizer(m.get("optimizer").toString());
        }
        if (m.get("schedule") != null) {
            b.schedule(m.get("schedule").toString());
        }
        b.lr(number(m, "lr", b.lr)).weightDecay(number(m, "weightDecay", b.weightDecay))
                .momentum(number(m, "momentum", b.momentum))
                .warmupSteps((long) number(m, "warmupSteps", b.warmupSteps))
                .totalSteps((long) number(m, "totalSteps", b.totalSteps))
                .stepSize((long) number(m, "stepSize", b.stepSize)).gamma(number(m, "gamma", b.gamma))
                .backboneLr(number(m, "backboneLr", b.backboneLr));
        return b.build();
    }

    private static double number(Map<String, ?> m, String key, double fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw ModelException.badOption("optimizer setting", key, "'" + v + "'", " is ",
                    "not a number; pass e.g. 0.001");
        }
    }

    /** Builder of {@link OptimizerSettings}. */
    public static final class Builder {
        private String optimizer = "adamw";
        private double lr = 1e-3;
        private double weightDecay = 1e-4;
        private double momentum = 0.9;
        private String schedule = "constant";
        private long warmupSteps;
        private long totalSteps;
        private long stepSize = 10;
        private double gamma = 0.1;
        private double backboneLr;

        private Builder() {
        }

        /** @param v adam, adamw or sgd @return this */
        public Builder optimizer(String v) {
            optimizer = v;
            return this;
        }

        /** @param v base learning rate @return this */
        public Builder lr(double v) {
            lr = v;
            return this;
        }

        /** @param v weight decay @return this */
        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** @param v SGD momentum @return this */
        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        /** @param v constant, cosine or step @return this */
        public Builder schedule(String v) {
            schedule = v;
            return this;
        }

        /** @param v warm-up steps (cosine) @return this */
        public Builder warmupSteps(long v) {
            warmupSteps = v;
            return this;
        }

        /** @param v total optimizer steps (cosine) @return this */
        public Builder totalSteps(long v) {
            totalSteps = v;
            return this;
        }

        /** @param v epochs between decays (step) @return this */
        public Builder stepSize(long v) {
            stepSize = v;
            return this;
        }

        /** @param v decay factor (step) @return this */
        public Builder gamma(double v) {
            gamma = v;
            return this;
        }

        /** @param v the backbone's base learning rate, 0 for {@code lr} @return this */
        public Builder backboneLr(double v) {
            backboneLr = v;
            return this;
        }

        /** @return the validated settings */
        public OptimizerSettings build() {
            return new OptimizerSettings(optimizer, lr, weightDecay, momentum, schedule, warmupSteps, totalSteps,
                    stepSize, gamma, backboneLr);
        }
    }
}
