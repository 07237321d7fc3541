package io.geolightning.trainer.connectors;

import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.trainer.LightningDataModule;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.Stage;
import io.geolightning.trainer.TrainerException;

/**
 * Gets a run's data from a {@link LightningDataModule}, like Lightning's data connector: {@code prepareData()},
 * {@code setup(stage)}, then the stage's loader, which must exist.
 */
public final class DataConnector {

    private DataConnector() {
    }

    /**
     * @param data the data module
     * @param stage the stage about to run
     * @return the stage's loader ({@code trainDataLoader()} for {@link Stage#FIT}, ...), not null
     */
    public static Dataset loader(LightningDataModule data, Stage stage) {
        if (data == null) {
            throw new TrainerException(stage.name().toLowerCase(java.util.Locale.ROOT) + "(): the data module is null;"
                    + " pass a LightningDataModule, or the Datasets themselves");
        }
        data.prepareData();
        data.setup(stage);
        Dataset loader = switch (stage) {
            case FIT -> data.trainDataLoader();
            case VALIDATE -> data.valDataLoader();
            case TEST -> data.testDataLoader();
            case PREDICT -> data.predictDataLoader();
        };
        if (loader == null) {
            String[] names = switch (stage) { // entry point, data, loader method
                case FIT -> new String[] {"fit", "training", "trainDataLoader"};
                case VALIDATE -> new String[] {"validate", "validation", "valDataLoader"};
                case TEST -> new String[] {"test", "test", "testDataLoader"};
                case PREDICT -> new String[] {"predict", "prediction", "predictDataLoader"};
            };
            throw new TrainerException(names[0] + "(): the data module returned no " + names[1] + " data (" + names[2]
                    + "() is null); return a Dataset from " + names[2] + "()");
        }
        return loader;
    }

    /**
     * Refuses {@code Trainer.validate}/{@code Trainer.test} of a module that does not override the stage's step, as
     * Lightning does ("No test_step() method defined"): the run would score nothing and return no metric.
     *
     * @param module the module (null is left to the trainer's own check)
     * @param stage {@link Stage#VALIDATE} or {@link Stage#TEST}
     */
    public static void requireStep(LightningModule module, Stage stage) {
        String step = stage == Stage.TEST ? "testStep" : "validationStep";
        try {
            if (module == null || module.getClass().getMethod(step, Batch.class, int.class).getDeclaringClass()
                    != LightningModule.class) {
                return;
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e); // LightningModule declares both
        }
        String entry = stage == Stage.TEST ? "test" : "validate";
        throw new TrainerException(entry + "(): " + module.getClass().getName() + " has no " + step + "(Batch, int),"
                + " so there is nothing to " + entry + "; override " + step
                + " and log its metrics there");
    }
}
