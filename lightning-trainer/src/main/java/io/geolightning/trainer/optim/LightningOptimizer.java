package io.geolightning.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import io.geolightning.trainer.TrainerException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the trainer's optimizers: updates its parameters in place from their gradients with plain NDArray
 * operations and <b>exposes its whole state</b> (per-parameter slots such as momentum buffers or Adam moments, plus
 * the step count).
 *
 * <p>Why not DJL's {@code ai.djl.training.optimizer.Optimizer}? DJL keeps that state in private maps, so a
 * checkpoint could not save it and a resumed Adam would restart from zero moments, breaking exact resume. These
 * optimizers follow PyTorch's update rules ({@code torch.optim}) so results match what users know.
 *
 * <p>Life cycle: the {@code Trainer} {@link #bind binds} the parameters chosen by the {@link OptimizerConfig}, then
 * calls {@link #step()} and {@link #zeroGrad()} (automatic optimisation), or the module calls them itself (manual
 * optimisation). Updates are written through a detached view of each weight, so they are legal while a
 * {@code GradientCollector} is recording.
 */
public abstract class LightningOptimizer implements AutoCloseable {

    private final LrSchedule schedule;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private final Map<Parameter, Double> lrFactors = new IdentityHashMap<>();
    private NDManager stateManager;
    private boolean groupKernels = true;
    private long stepCount;
    private int epoch;

    /**
     * Creates the optimizer.
     *
     * @param schedule the learning-rate schedule
     */
    protected LightningOptimizer(LrSchedule schedule) {
        if (schedule == null) {
            throw new TrainerException("optimizer learning-rate schedule is null; pass e.g. LrSchedule.constant(1e-3)");
        }
        this.schedule = schedule;
    }

    /**
     * Binds the parameters this optimizer updates; called by the trainer (or a test) once, before the first step.
     *
     * @param named parameters by hierarchical name, in a stable order
     */
    public void bind(Map<String, Parameter> named) {
        parameters.clear();
        parameters.putAll(named);
    }

    /**
     * Gives some parameters their own learning rate, a constant multiple of the schedule's (PyTorch's parameter
     * groups with their own {@code lr}, e.g. a pretrained backbone at a tenth of the head's rate). Weight decay
     * scales with it, as in a PyTorch group. Not part of the checkpointed state: the module sets it again when it
     * configures its optimizer.
     *
     * @param group the parameters (identity matters, not names; call before or after {@link #bind})
     * @param factor their learning rate divided by the schedule's, &gt; 0
     * @return this
     * @throws TrainerException for a factor that is not a positive number
     */
    public LightningOptimizer lrFactor(Collection<Parameter> group, double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new TrainerException("learning-rate factor " + factor + " is not a positive number; pass e.g. 0.1");
        }
        group.forEach(p -> lrFactors.put(p, factor));
        return this;
    }

    /**
     * @param parameter a bound parameter
     * @return its learning rate divided by the schedule's (1 unless set by {@link #lrFactor})
     */
    public double lrFactor(Parameter parameter) {
        return lrFactors.getOrDefault(parameter, 1.0);
    }

    /** @return names of the bound parameters, in order */
    public List<String> parameterNames() {
        return List.copyOf(parameters.keySet());
    }

    /** @return the bound parameters by name (read only) */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * Tells the optimizer the current epoch, for epoch-based schedules; called by the trainer at each epoch start.
     *
     * @param epoch 0-based epoch
     */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    /** @return the learning rate the next {@link #step()} uses */
    public double learningRate() {
        return schedule.learningRate(stepCount, epoch);
    }

    /** @return the number of updates made so far */
    public long stepCount() {
        return stepCount;
    }

    /**
     * Updates every bound trainable parameter from its gradient, then counts one step. A parameter that never
     * received a gradient is updated with a zero gradient (DJL's PyTorch engine reports an undefined gradient as
     * zeros), unlike PyTorch, which skips it.
     */
    public void step() {
        double lr = learningRate();
        long t = stepCount + 1;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<Update> updates = new ArrayList<>(parameters.size());
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                Parameter p = e.getValue();
                if (!p.requiresGradient() || !p.isInitialized()) {
                    continue;
                }
                NDArray array = p.getArray();
                updates.add(new Update(e.getKey(), array.stopGradient(), array.getGradient(), lr * lrFactor(p)));
            }
            updateAll(updates, t);
        }
        stepCount = t;
    }

    /**
     * One parameter's update of a step.
     *
     * @param name the parameter name (key of its state slots)
     * @param weight a detached view of the weight sharing its storage: modify it in place
     * @param grad the gradient (read only)
     * @param lr the parameter's learning rate in this step
     */
    protected record Update(String name, NDArray weight, NDArray grad, double lr) {
    }

    /**
     * Applies one step's updates in place; by default {@link #update} for each. Optimizers with a multi-tensor
     * kernel override this to update all parameters in fewer calls.
     *
     * @param updates the trainable, initialised parameters, in binding order
     * @param t the 1-based index of this step
     */
    protected void updateAll(List<Update> updates, long t) {
        updateEach(updates, t);
    }

    private void updateEach(List<Update> updates, long t) {
        for (Update u : updates) {
            update(u.name(), u.weight(), u.grad(), u.lr(), t);
        }
    }

    /** A multi-tensor kernel: updates a group of parameters in place, or returns false if it cannot. */
    @FunctionalInterface
    protected interface GroupKernel {
        /**
         * @param group updates sharing a learning rate, device and data type
         * @param weights the group's weights (detached views), in the group's order
         * @param grads the group's gradients, in the same order
         * @return false if the kernel is unavailable and nothing was updated
         */
        boolean apply(List<Update> group, List<NDArray> weights, List<NDArray> grads);
    }

    /**
     * Runs a multi-tensor kernel once per group of updates sharing a learning rate, device and data type. A group
     * the kernel cannot take (it returns false, or the engine's classes are not on the class path) goes through
     * {@link #update} one parameter at a time, and so do all later steps.
     *
     * @param updates a step's updates
     * @param t the 1-based index of this step
     * @param kernel the kernel
     */
    protected final void updateGroups(List<Update> updates, long t, GroupKernel kernel) {
        Map<String, List<Update>> groups = new LinkedHashMap<>();
        for (Update u : updates) {
            String key = u.lr() + "|" + u.weight().getDevice() + "|" + u.weight().getDataType();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(u);
        }
        for (List<Update> group : groups.values()) {
            boolean done = false;
            if (groupKernels) {
                try {
                    done = kernel.apply(group, group.stream().map(Update::weight).toList(),
                            group.stream().map(Update::grad).toList());
                } catch (LinkageError e) {
                    // the engine's jar is not on the class path: done stays false
                }
                groupKernels = done;
            }
            if (!done) {
                updateEach(group, t);
            }
        }
    }

    /**
     * Chooses between multi-tensor kernels (the default, where available) and the per-parameter update; for tests
     * comparing the two.
     *
     * @param value false for the per-parameter update
     */
    void useGroupKernels(boolean value) {
        groupKernels = value;
    }

    /**
     * @param group updates
     * @param slots state slots, e.g. {@code "exp_avg", "exp_avg_sq"}
     * @return for each slot, that slot of each update's parameter in the group's order; created as zeros on first
     *     use, parameter by parameter, so the state keeps the order the per-parameter {@link #update} gives it
     */
    protected final List<List<NDArray>> slots(List<Update> group, String... slots) {
        List<List<NDArray>> out = new ArrayList<>(slots.length);
        for (int i = 0; i < slots.length; i++) {
            out.add(new ArrayList<>(group.size()));
        }
        for (Update u : group) {
            for (int i = 0; i < slots.length; i++) {
                out.get(i).add(state(u.name(), slots[i], u.weight()));
            }
        }
        return out;
    }

    /** Sets the gradients of the bound parameters to zero (PyTorch accumulates gradients across backward calls). */
    public void zeroGrad() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Parameter p : parameters.values()) {
                if (p.requiresGradient() && p.isInitialized()) {
                    NDArray grad = p.getArray().getGradient();
                    grad.subi(grad);
                }
            }
        }
    }

    /**
     * Applies one update in place.
     *
     * @param name the parameter name (key of its state slots)
     * @param weight a detached view of the weight sharing its storage: modify it in place
     * @param grad the gradient (read only)
     * @param lr the learning rate of this step
     * @param t the 1-based index of this step (for bias corrections)
     */
    protected abstract void update(String name, NDArray weight, NDArray grad, double lr, long t);

    /**
     * Returns a state slot of a parameter, created as zeros shaped like {@code like} on first use.
     *
     * @param name the parameter name
     * @param slot the slot, e.g. {@code "exp_avg"}
     * @param like an array giving shape, type and device
     * @return the slot's array (owned by the optimizer)
     */
    protected NDArray state(String name, String slot, NDArray like) {
        String key = name + "/" + slot;
        NDArray value = state.get(key);
        if (value == null) {
            value = manager(like).zeros(like.getShape(), like.getDataType());
            NDScope.unregister(value);
            value.setName(key);
            state.put(key, value);
        }
        return value;
    }

    private NDManager manager(NDArray like) {
        if (stateManager == null) {
            stateManager = like.getManager().getParentManager() != null
                    ? firstParameterManager(like).newSubManager(like.getDevice())
                    : like.getManager().newSubManager(like.getDevice());
        }
        return stateManager;
    }

    private NDManager firstParameterManager(NDArray like) {
        for (Parameter p : parameters.values()) {
            if (p.isInitialized()) {
                return p.getArray().getManager();
            }
        }
        return like.getManager();
    }

    /**
     * Returns all state slots, named {@code <parameter>/<slot>}, for a checkpoint (the arrays themselves, not
     * copies: encode them, do not close them).
     *
     * @return the state arrays
     */
    public NDList stateArrays() {
        return new NDList(new ArrayList<>(state.values()));
    }

    /**
     * Restores the state saved by {@link #stateArrays()} and {@link #stepCount()}.
     *
     * @param arrays named state arrays (copied; the caller keeps ownership)
     * @param steps the saved step count
     * @throws TrainerException if a slot names an unknown parameter or its shape differs
     */
    public void loadState(NDList arrays, long steps) {
        for (NDArray saved : arrays) {
            String key = saved.getName();
            int slash = key == null ? -1 : key.lastIndexOf('/');
            String name = slash < 0 ? key : key.substring(0, slash);
            Parameter p = name == null ? null : parameters.get(name);
            if (p == null || !p.isInitialized()) {
                throw new TrainerException("optimizer state '" + key + "' names no parameter of this optimizer ("
                        + parameters.size() + " bound); the checkpoint belongs to another model or optimizer setup");
            }
            if (!p.getArray().getShape().equals(saved.getShape())) {
                throw new TrainerException("optimizer state '" + key + "' has shape " + saved.getShape()
                        + " but parameter '" + name + "' has shape " + p.getArray().getShape()
                        + "; the checkpoint belongs to another architecture");
            }
            NDArray target = state(name, key.substring(slash + 1), p.getArray());
            saved.toDevice(target.getDevice(), false).copyTo(target);
        }
        stepCount = steps;
    }

    /** Releases the state arrays. */
    @Override
    public void close() {
        state.clear();
        if (stateManager != null) {
            stateManager.close();
            stateManager = null;
        }
    }
}
