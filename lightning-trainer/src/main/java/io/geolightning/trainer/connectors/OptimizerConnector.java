package io.geolightning.trainer.connectors;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.geolightning.trainer.LightningModule;
import io.geolightning.trainer.RunProgress;
import io.geolightning.trainer.TrainerException;
import io.geolightning.trainer.optim.GradientClipping;
import io.geolightning.trainer.optim.LightningOptimizer;
import io.geolightning.trainer.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimisation side of a run, like Lightning's optimizer handling in its strategy: binds the optimizers of
 * {@link LightningModule#configureOptimizers()} to disjoint sets of trainable parameters, records gradients during a
 * training step (also for {@link LightningModule#manualBackward}), refuses a non-finite loss, and performs the
 * optimizer step (gather replica gradients, clip by global norm, step and zero every optimizer, broadcast).
 */
public final class OptimizerConnector {

    private static final Logger LOG = LoggerFactory.getLogger(OptimizerConnector.class);

    private final RunProgress progress;
    private List<LightningOptimizer> optimizers = List.of();
    private List<Parameter> trainable = List.of();
    private GradientCollector collector;

    /** @param progress the run's progress, named in a non-finite loss's message and advanced by each step */
    public OptimizerConnector(RunProgress progress) {
        this.progress = progress;
    }

    /** @return the bound optimizers, in configuration order (empty outside a fit) */
    public List<LightningOptimizer> optimizers() {
        return optimizers;
    }

    /**
     * Binds the module's optimizers to its trainable parameters; warns about a trainable parameter no optimizer
     * updates.
     *
     * @param module the module
     */
    public void bind(LightningModule module) {
        OptimizerConfig oc = module.configureOptimizers();
        if (oc == null) {
            throw new TrainerException("configureOptimizers() returned null;"
                    + " return e.g. OptimizerConfig.of(Adam.builder().lr(1e-3).build())");
        }
        List<LightningOptimizer> list = new ArrayList<>();
        Set<Parameter> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> all = new ArrayList<>();
        for (OptimizerConfig.Entry e : oc.entries()) {
            Map<String, Parameter> named = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : module.getBlock().getParameters()) {
                if (p.getValue().requiresGradient() && e.parameters().accept(p.getKey(), p.getValue())) {
                    named.put(p.getKey(), p.getValue());
                    if (!claimed.add(p.getValue())) {
                        throw new TrainerException("parameter '" + p.getKey() + "' is selected by two optimizers;"
                                + " make the ParameterFilters of configureOptimizers() disjoint");
                    }
                }
            }
            if (named.isEmpty()) {
                throw new TrainerException("optimizer #" + list.size() + " (" + e.optimizer().getClass().getSimpleName()
                        + ") selects no trainable parameter; fix its ParameterFilter");
            }
            e.optimizer().bind(named);
            list.add(e.optimizer());
        }
        for (Parameter p : module.getBlock().getParameters().values()) {
            if (p.requiresGradient()) {
                all.add(p);
                if (!claimed.contains(p)) {
                    LOG.warn("parameter {} requires a gradient but no optimizer updates it", p.getName());
                }
            }
        }
        optimizers = List.copyOf(list);
        trainable = List.copyOf(all);
    }

    /** @param epoch the epoch starting, passed to every optimizer's schedule */
    public void setEpoch(int epoch) {
        for (LightningOptimizer o : optimizers) {
            o.setEpoch(epoch);
        }
    }

    /**
     * Opens the gradient collector of a training step; close it with {@link #endGradients()}.
     *
     * @return the collector
     */
    public GradientCollector startGradients() {
        collector = Engine.getInstance().newGradientCollector();
        return collector;
    }

    /** Closes the training step's gradient collector. */
    public void endGradients() {
        GradientCollector gc = collector;
        collector = null;
        if (gc != null) {
            gc.close();
        }
    }

    /** @return true inside a training step (between {@link #startGradients()} and {@link #endGradients()}) */
    public boolean inTrainingStep() {
        return collector != null;
    }

    /**
     * Back-propagates a loss of manual optimisation.
     *
     * @param loss a finite scalar loss
     */
    public void backward(NDArray loss) {
        if (collector == null) {
            throw new TrainerException("manualBackward() called outside trainingStep; call it inside trainingStep");
        }
        checkFinite(scalar(loss));
        backward(collector, loss, "the loss passed to manualBackward()");
    }

    /**
     * Back-propagates a loss; one no gradient flows from is refused in the trainer's words, not libtorch's ("element 0
     * of tensors does not require grad and does not have a grad_fn").
     *
     * @param gc the step's gradient collector
     * @param loss the loss
     * @param what what the loss is, e.g. "trainingStep's loss"
     */
    public void backward(GradientCollector gc, NDArray loss, String what) {
        try {
            gc.backward(loss);
        } catch (EngineException e) {
            if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
                throw e;
            }
            throw new TrainerException(what + " at epoch " + progress.currentEpoch() + ", batch "
                    + progress.batchIdx() + " does not depend on any trainable parameter, so no gradient flows from"
                    + " it (made with manager.create, detached, cast to an integer type, or every parameter frozen);"
                    + " compute it from forward(...)'s outputs", e);
        }
    }

    /**
     * Stops training on a NaN or infinite loss with a message naming the epoch, step and batch.
     *
     * @param value a loss value
     */
    public void checkFinite(double value) {
        if (!Double.isFinite(value)) {
            throw new TrainerException("loss is " + value + " at epoch " + progress.currentEpoch() + ", global step "
                    + progress.globalStep() + " (batch " + progress.batchIdx() + "); training stopped: lower the"
                    + " learning rate, set gradientClipNorm, or check the inputs and labels for NaN/Inf");
        }
    }

    /**
     * @param a a one-element array of any numeric type
     * @return its value as a double
     */
    public static double scalar(NDArray a) {
        switch (a.getDataType()) {
            case FLOAT32:
                return a.getFloat();
            case FLOAT64:
                return a.getDouble();
            default:
                try (NDArray d = a.toType(DataType.FLOAT64, false)) {
                    return d.getDouble();
                }
        }
    }

    /**
     * One optimisation step: gathers the replicas' gradients, clips them to a global norm, steps and zeroes every
     * optimizer, broadcasts the weights and counts the step.
     *
     * @param devices the run's devices
     * @param clipNorm global L2 norm limit, 0 = off
     */
    public void step(DeviceConnector devices, double clipNorm) {
        devices.gatherGradients();
        if (clipNorm > 0) {
            GradientClipping.clipGlobalNorm(trainable, clipNorm);
        }
        for (LightningOptimizer o : optimizers) {
            o.step();
            o.zeroGrad();
        }
        devices.broadcastWeights();
        progress.stepDone();
    }

    /** Closes the optimizers' state and unbinds them. */
    public void close() {
        for (LightningOptimizer o : optimizers) {
            o.close();
        }
        optimizers = List.of();
    }
}
