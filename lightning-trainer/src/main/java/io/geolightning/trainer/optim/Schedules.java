package io.geolightning.trainer.optim;

import io.geolightning.trainer.TrainerException;

/** Argument checks shared by the schedules and optimizers. */
final class Schedules {

    private Schedules() {}

    static void checkRate(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new TrainerException(name + " " + value + " is not a finite number >= 0; pass e.g. 1e-3");
        }
    }

    static void checkUnit(String name, double value, boolean inclusiveOne) {
        boolean ok = value >= 0 && (inclusiveOne ? value <= 1 : value < 1);
        if (!ok) {
            throw new TrainerException(name + " " + value + " is outside [0, 1" + (inclusiveOne ? "]" : ")")
                    + "; pass a value such as 0.9");
        }
    }

    static void checkPositive(String name, long value) {
        if (value <= 0) {
            throw new TrainerException(name + " " + value + " must be > 0; pass a positive count");
        }
    }
}
