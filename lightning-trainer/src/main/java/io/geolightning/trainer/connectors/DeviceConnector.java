package io.geolightning.trainer.connectors;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import io.geolightning.trainer.EpochDataset;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.TrainerException;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where a run's arrays live, like Lightning's accelerator connector and strategy: the root {@link NDManager} on the
 * first device, the manager of each step, the {@link ParameterStore} (with a {@link ReplicaSync} and parameter
 * replicas when several devices are configured), batches moved to the device or split across the devices, and the
 * module's lazy initialisation from the first batch's shapes. {@link #open()} at the start of a run, {@link #close()}
 * at its end.
 */
public final class DeviceConnector {

    private final List<Device> devices;
    private NDManager rootManager;
    private NDManager stepManager;
    private ParameterStore parameterStore;
    private ReplicaSync replicaSync;

    /** @param devices the configured devices; the first holds the main copy of the weights */
    public DeviceConnector(List<Device> devices) {
        this.devices = List.copyOf(devices);
    }

    /** Opens the run's root manager on the first device. */
    public void open() {
        rootManager = NDManager.newBaseManager(devices.get(0));
    }

    /** Drops the parameter store and replicas and closes the root manager (every array the run left on it). */
    public void close() {
        parameterStore = null;
        if (replicaSync != null) {
            replicaSync.close();
            replicaSync = null;
        }
        rootManager.close();
        rootManager = null;
    }

    /** @return the root manager of the running run */
    public NDManager rootManager() {
        return rootManager;
    }

    /** @return the manager of the current step (closed after it), or null outside a step */
    public NDManager stepManager() {
        return stepManager;
    }

    /**
     * Runs one step in its own {@link NDScope} and sub-manager of the root manager, both closed right after, so
     * native memory stays flat however many steps run.
     *
     * @param step the step, which may allocate on {@link #stepManager()}
     * @param <T> what the step returns
     * @return what the step returned
     */
    public <T> T inStep(Supplier<T> step) {
        try (NDScope scope = new NDScope(); NDManager sub = rootManager.newSubManager()) {
            scope.suppressNotUsedWarning();
            stepManager = sub;
            return step.get();
        } finally {
            stepManager = null;
        }
    }

    /**
     * @param data a dataset
     * @return its batches, on the root manager
     */
    public Iterable<Batch> iterate(Dataset data) {
        return iterate(data, 0, 0);
    }

    /**
     * @param data a dataset
     * @param epoch the epoch, for an {@link EpochDataset}
     * @param fromBatch the first batch an {@link EpochDataset} delivers (0 for all)
     * @return the epoch's batches, on the root manager; a plain dataset delivers all of them
     */
    public Iterable<Batch> iterate(Dataset data, int epoch, int fromBatch) {
        try {
            return data instanceof EpochDataset e ? e.epochData(rootManager, epoch, fromBatch)
                    : data.getData(rootManager);
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new TrainerException("cannot read batches from " + data.getClass().getSimpleName() + " ("
                    + e.getMessage() + "); check the dataset's source files", e);
        }
    }

    /**
     * Initialises the module's block from the first batch of a dataset unless it already is.
     *
     * @param module the module
     * @param train the dataset whose first batch gives the input shapes
     */
    public void initialize(LightningModule module, Dataset train) {
        if (module.getBlock().isInitialized()) {
            return;
        }
        Iterator<Batch> it = iterate(train).iterator();
        try {
            if (!it.hasNext()) {
                throw new TrainerException("the training loader produced no batch; check the dataset is not empty");
            }
            try (Batch first = it.next()) {
                initialize(module, first);
            }
        } finally {
            closeIterator(it);
        }
    }

    /**
     * Closes an iterator of batches that is {@link AutoCloseable} (a loader's, whose worker threads read ahead), so
     * stopping before its end - one batch to initialise, {@code limitTrainBatches}, {@code maxSteps} - stops them.
     *
     * @param it the iterator
     */
    public static void closeIterator(Iterator<?> it) {
        if (it instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new TrainerException("closing the data loader failed (" + e.getMessage() + ")", e);
            }
        }
    }

    /**
     * Initialises the module's block on the first device from a batch's shapes unless it already is.
     *
     * @param module the module
     * @param first a batch of the data the module will see
     */
    public void initialize(LightningModule module, Batch first) {
        if (!module.getBlock().isInitialized()) {
            module.initialize(devices.get(0), DataType.FLOAT32, first.getData().getShapes());
        }
    }

    /**
     * @param module the running module
     * @return the run's parameter store, created on first use
     */
    public ParameterStore parameterStore(LightningModule module) {
        if (parameterStore == null) {
            newParameterStore(module);
        }
        return parameterStore;
    }

    /**
     * Starts a new parameter store (and, with several devices, the replicas of the module's initialised parameters).
     *
     * @param module the running module
     */
    public void newParameterStore(LightningModule module) {
        ParameterStore store = new ParameterStore(rootManager, false);
        if (devices.size() > 1) {
            Device[] devs = devices.toArray(new Device[0]);
            replicaSync = new ReplicaSync(devs);
            store.setParameterServer(replicaSync, devs);
            // create the replicas now, outside any step's NDScope (which would close them after the first step)
            if (module.getBlock().isInitialized()) {
                for (Parameter p : module.getBlock().getParameters().values()) {
                    store.getValue(p, devs[0], true);
                }
            }
        }
        parameterStore = store;
    }

    /** @return the number of devices a batch is split across */
    public int deviceCount() {
        return devices.size();
    }

    /**
     * @param batch a batch on the first device
     * @return one slice per device, or the batch itself on one device
     */
    public Batch[] split(Batch batch) {
        return devices.size() > 1 ? batch.split(devices.toArray(new Device[0]), false) : new Batch[] {batch};
    }

    /** Sums the replicas' gradients into the main copy before an optimizer step (several devices only). */
    public void gatherGradients() {
        if (replicaSync != null) {
            parameterStore.updateAllParameters();
        }
    }

    /** Copies the updated main weights back to the replicas after an optimizer step (several devices only). */
    public void broadcastWeights() {
        if (replicaSync != null) {
            replicaSync.broadcast();
        }
    }

    /**
     * Moves a batch to the first device; with several devices, or when it is there already, returns it as it is.
     *
     * @param batch a batch from {@link #iterate}
     * @return the batch on the device, a new one owned by the same manager when it had to move
     */
    public Batch onDevice(Batch batch) {
        Device device = devices.get(0);
        if (devices.size() > 1 || batch.getData().isEmpty() || batch.getData().head().getDevice().equals(device)) {
            return batch;
        }
        NDManager m = batch.getManager();
        NDList data = batch.getData().toDevice(device, true);
        NDList labels = batch.getLabels() == null ? null : batch.getLabels().toDevice(device, true);
        data.attach(m);
        if (labels != null) {
            labels.attach(m);
        }
        return new Batch(m, data, labels, batch.getSize(), null, null, batch.getProgress(), batch.getProgressTotal(),
                batch.getIndices());
    }

    /**
     * Closes a batch and its moved copy.
     *
     * @param raw the batch as read
     * @param moved what {@link #onDevice} returned for it
     */
    public static void closeBatch(Batch raw, Batch moved) {
        raw.close();
        if (moved != raw) {
            moved.close();
        }
    }
}
