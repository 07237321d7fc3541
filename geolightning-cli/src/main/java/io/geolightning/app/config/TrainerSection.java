package io.geolightning.app.config;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.geolightning.trainer.BatchLimit;
import io.geolightning.trainer.TrainerConfig;
import io.geolightning.trainer.TrainerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code trainer} section; names and meanings follow PyTorch Lightning's {@code Trainer} arguments. Batch limits
 * are a whole number of batches ({@code 10}) or a fraction of the loader ({@code 0.25}). The section is only the YAML's
 * shape: its values are bound into the library's {@link TrainerConfig} in one place ({@link #applyTo}), whose checks
 * and defaults are the only ones, except the three defaults a training run sets differently from Lightning
 * ({@link #RUN_MAX_EPOCHS}, {@link #RUN_DETERMINISTIC}, {@link #RUN_LOG_EVERY_N_STEPS}).
 *
 * @param maxEpochs epochs to train (default 10)
 * @param maxSteps optimisation steps to stop after, -1 for no limit (default)
 * @param accumulateGradBatches batches whose gradients add up before a step (default 1)
 * @param gradientClipNorm clip gradients to this global L2 norm, 0 = off (default)
 * @param limitTrainBatches training batches per epoch (default 1.0 = all)
 * @param limitValBatches validation batches per run (default 1.0)
 * @param limitTestBatches test batches (default 1.0)
 * @param valCheckInterval validate every N training batches or fraction of an epoch (default 1.0 = epoch end);
 *     below one epoch the checkpoint and early stopping act after every validation
 * @param checkValEveryNEpoch validate every N epochs (default 1)
 * @param numSanityValSteps validation batches run before training (default 2)
 * @param deterministic reseed every RNG per epoch so runs replay exactly (default true)
 * @param fastDevRun if &gt; 0, run this many batches of each loop once, no checkpoints (default 0)
 * @param overfitBatches if &gt; 0, train and validate on that many training batches (default 0)
 * @param logEveryNSteps send step metrics to the loggers every N steps (default 10)
 * @param ckptPath checkpoint to resume training from, or null
 * @param devices where to train: a list of devices ({@code [cpu()]}, {@code [gpu(0), gpu(1)]}; several = data
 *                parallel), a count ({@code 2}: the engine's first two GPUs, or the CPU without GPUs), or null (default)
 *                for the engine's default device
 */
public record TrainerSection(Integer maxEpochs, Long maxSteps, Integer accumulateGradBatches, Double gradientClipNorm,
                             Number limitTrainBatches, Number limitValBatches, Number limitTestBatches,
                             Number valCheckInterval, Integer checkValEveryNEpoch, Integer numSanityValSteps,
                             Boolean deterministic, Integer fastDevRun, Integer overfitBatches, Integer logEveryNSteps,
                             String ckptPath, Object devices) {

    /** A run trains 10 epochs unless told otherwise (Lightning's 1000 suits no configuration file). */
    public static final int RUN_MAX_EPOCHS = 10;
    /** A run replays exactly from its seed (Lightning's default is not to). */
    public static final boolean RUN_DETERMINISTIC = true;
    /** A run's curves have a point every 10 steps (Lightning's 50 leaves short runs with none). */
    public static final int RUN_LOG_EVERY_N_STEPS = 10;

    /** Fills defaults: the run's three, and Lightning's from {@link TrainerConfig#defaults()} for the others. */
    public TrainerSection {
        TrainerConfig lightning = TrainerConfig.defaults();
        maxEpochs = maxEpochs == null ? RUN_MAX_EPOCHS : maxEpochs;
        maxSteps = maxSteps == null ? lightning.maxSteps() : maxSteps;
        accumulateGradBatches = accumulateGradBatches == null ? lightning.accumulateGradBatches()
                : accumulateGradBatches;
        gradientClipNorm = gradientClipNorm == null ? lightning.gradientClipNorm() : gradientClipNorm;
        limitTrainBatches = limitTrainBatches == null ? lightning.limitTrainBatches().value() : limitTrainBatches;
        limitValBatches = limitValBatches == null ? lightning.limitValBatches().value() : limitValBatches;
        limitTestBatches = limitTestBatches == null ? lightning.limitTestBatches().value() : limitTestBatches;
        valCheckInterval = valCheckInterval == null ? lightning.valCheckInterval().value() : valCheckInterval;
        checkValEveryNEpoch = checkValEveryNEpoch == null ? lightning.checkValEveryNEpoch() : checkValEveryNEpoch;
        numSanityValSteps = numSanityValSteps == null ? lightning.numSanityValSteps() : numSanityValSteps;
        deterministic = deterministic == null ? RUN_DETERMINISTIC : deterministic;
        fastDevRun = fastDevRun == null ? lightning.fastDevRun() : fastDevRun;
        overfitBatches = overfitBatches == null ? lightning.overfitBatches() : overfitBatches;
        logEveryNSteps = logEveryNSteps == null ? RUN_LOG_EVERY_N_STEPS : logEveryNSteps;
    }

    /** @return the run's defaults */
    public static TrainerSection defaults() {
        return new TrainerSection(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * Binds every key of the section into trainer settings, in this one place; the run adds what the YAML does not
     * hold (seed, root folder, callbacks, loggers). A device count ({@code devices: 2}) asks the engine for its
     * devices.
     *
     * @param b a {@link TrainerConfig#builder()} or {@link io.geolightning.trainer.Trainer#builder()}
     * @param <B> the builder type
     * @return {@code b}
     * @throws ConfigException naming the key of a value the trainer cannot take
     */
    public <B extends TrainerConfig.Settings<B>> B applyTo(B b) {
        return bind(b, true);
    }

    /**
     * Checks every key by binding the section into the trainer's own {@link TrainerConfig}, without loading an engine
     * (a device count is checked, not resolved).
     *
     * @param seed the run's seed (a deterministic run needs one)
     * @throws ConfigException {@code trainer.<key> ...}: the trainer's own one-line message, naming the key
     */
    public void check(int seed) {
        config(seed);
    }

    /**
     * @param seed the run's seed
     * @return the trainer's settings this section gives, without loading an engine (a device count is checked, not
     *     resolved), e.g. to ask it how many optimizer steps a fit will take
     * @throws ConfigException {@code trainer.<key> ...}: the trainer's own one-line message, naming the key
     */
    public TrainerConfig config(int seed) {
        TrainerConfig.Builder b = bind(TrainerConfig.builder(), false).seed(seed);
        try {
            return b.build();
        } catch (TrainerException e) {
            throw trainerKey(e);
        }
    }

    private <B extends TrainerConfig.Settings<B>> B bind(B b, boolean resolveDevices) {
        try {
            b.maxEpochs(maxEpochs).maxSteps(maxSteps).accumulateGradBatches(accumulateGradBatches)
                    .gradientClipNorm(gradientClipNorm)
                    .limitTrainBatches(limit(limitTrainBatches, "limitTrainBatches"))
                    .limitValBatches(limit(limitValBatches, "limitValBatches"))
                    .limitTestBatches(limit(limitTestBatches, "limitTestBatches"))
                    .valCheckInterval(limit(valCheckInterval, "valCheckInterval"))
                    .checkValEveryNEpoch(checkValEveryNEpoch).numSanityValSteps(numSanityValSteps)
                    .deterministic(deterministic).fastDevRun(fastDevRun).overfitBatches(overfitBatches)
                    .logEveryNSteps(logEveryNSteps);
        } catch (TrainerException e) {
            throw trainerKey(e);
        }
        if (ckptPath != null && !ckptPath.isBlank()) {
            b.ckptPath(Path.of(ckptPath));
        }
        List<Device> d = devices(resolveDevices);
        if (d != null) {
            b.devices(d);
        }
        return b;
    }

    /** @return the trainer's error about one of this section's keys, carrying that key ({@code trainer.maxEpochs}) */
    private static ConfigException trainerKey(TrainerException e) {
        return new ConfigException(e.setting() == null ? null : "trainer." + e.setting(), "trainer." + e.getMessage(),
                e);
    }

    private static BatchLimit limit(Number n, String key) {
        try {
            return BatchLimit.of(n);
        } catch (TrainerException e) {
            throw new TrainerException(key, key + " " + e.getMessage(), e);
        }
    }

    /** @return the training batch limit, as the trainer reads it */
    public BatchLimit trainBatches() {
        return limit(limitTrainBatches, "limitTrainBatches");
    }

    private static final Pattern DEVICE = Pattern.compile("(cpu|gpu)\\(?(\\d{0,4})\\)?");

    /**
     * @return the devices of {@code devices}, or null for the engine's default device
     * @throws ConfigException for a count below 1, an unknown device name or a device listed twice
     */
    public List<Device> deviceList() {
        return devices(true);
    }

    private List<Device> devices(boolean resolveCount) {
        if (devices == null) {
            return null;
        }
        if (devices instanceof Integer || devices instanceof Long) {
            long n = ((Number) devices).longValue();
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new ConfigException("trainer.devices " + n + ": a device count must be at least 1; or list the"
                        + " devices, e.g. devices: [cpu()]");
            }
            return resolveCount ? List.of(Engine.getInstance().getDevices((int) n)) : null;
        }
        List<?> names = devices instanceof List<?> l ? l : List.of(devices);
        List<Device> out = new ArrayList<>();
        for (Object o : names) {
            Matcher m = DEVICE.matcher(String.valueOf(o).trim().toLowerCase(Locale.ROOT));
            if (o == null || !m.matches()) {
                throw new ConfigException("trainer.devices '" + o + "': unknown device; write cpu(), gpu(0), ... as a"
                        + " list (devices: [gpu(0), gpu(1)]) or a count (devices: 2)");
            }
            Device d = m.group(1).equals("cpu") ? Device.cpu()
                    : m.group(2).isEmpty() ? Device.gpu() : Device.gpu(Integer.parseInt(m.group(2)));
            if (out.contains(d)) {
                throw new ConfigException("trainer.devices " + names + ": lists " + d + " twice; list each device once");
            }
            out.add(d);
        }
        if (out.isEmpty()) {
            throw new ConfigException("trainer.devices []: no device; list one, e.g. devices: [cpu()], or remove the"
                    + " key");
        }
        return List.copyOf(out);
    }

    /**
     * Checks that the engine has the GPUs {@code devices} asks for: a count of GPUs, or the highest {@code gpu(i)}
     * listed (the engine would otherwise fail deep inside a kernel, or a count fall back to the CPU unsaid).
     *
     * @throws ConfigException naming the key, what the machine has and the fix
     */
    public void requireAvailable() {
        if (devices instanceof Number n) {
            requireGpus("trainer.devices " + n, n.intValue());
        } else if (devices != null) {
            devices(false).stream().filter(d -> d.isGpu()).mapToInt(d -> Math.max(d.getDeviceId(), 0)).max()
                    .ifPresent(id -> requireGpus("trainer.devices " + devices, id + 1));
        }
    }

    /** Fails when the engine has fewer than {@code needed} GPUs, naming the key and the fix. */
    private static void requireGpus(String key, int needed) {
        int gpus = Engine.getInstance().getGpuCount();
        if (gpus < needed) {
            throw new ConfigException(key + ": " + (gpus == 0 ? "this machine has no GPU the "
                    + Engine.getInstance().getEngineName() + " engine can use (no CUDA device, or a CPU build of it)"
                    : "this machine has " + gpus + " GPU(s) the engine can use") + "; remove the key to train on the"
                    + " engine's default device, or list what is there, e.g. devices: [cpu()]");
        }
    }
}
