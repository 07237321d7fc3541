package io.geolightning.app.config;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.geolightning.trainer.BatchLimit;
import io.geolightning.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code trainer} section; names and meanings follow PyTorch Lightning's {@code Trainer} arguments. Batch limits
 * are a whole number of batches ({@code 10}) or a fraction of the loader ({@code 0.25}).
 *
 * @param maxEpochs epochs to train (default 10)
 * @param maxSteps optimisation steps to stop after, -1 for no limit (default)
 * @param accumulateGradBatches batches whose gradients add up before a step (default 1)
 * @param gradientClipNorm clip gradients to this global L2 norm, 0 = off (default)
 * @param limitTrainBatches training batches per epoch (default 1.0 = all)
 * @param limitValBatches validation batches per run (default 1.0)
 * @param limitTestBatches test batches (default 1.0)
 * @param valCheckInterval validate every N training batches or fraction of an epoch (default 1.0 = epoch end)
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

    /** Fills defaults. */
    public TrainerSection {
        maxEpochs = maxEpochs == null ? 10 : maxEpochs;
        maxSteps = maxSteps == null ? -1L : maxSteps;
        accumulateGradBatches = accumulateGradBatches == null ? 1 : accumulateGradBatches;
        gradientClipNorm = gradientClipNorm == null ? 0.0 : gradientClipNorm;
        limitTrainBatches = limitTrainBatches == null ? 1.0 : limitTrainBatches;
        limitValBatches = limitValBatches == null ? 1.0 : limitValBatches;
        limitTestBatches = limitTestBatches == null ? 1.0 : limitTestBatches;
        valCheckInterval = valCheckInterval == null ? 1.0 : valCheckInterval;
        checkValEveryNEpoch = checkValEveryNEpoch == null ? 1 : checkValEveryNEpoch;
        numSanityValSteps = numSanityValSteps == null ? 2 : numSanityValSteps;
        deterministic = deterministic == null ? Boolean.TRUE : deterministic;
        fastDevRun = fastDevRun == null ? 0 : fastDevRun;
        overfitBatches = overfitBatches == null ? 0 : overfitBatches;
        logEveryNSteps = logEveryNSteps == null ? 10 : logEveryNSteps;
    }

    /** @return Lightning's defaults, 10 epochs */
    public static TrainerSection defaults() {
        return new TrainerSection(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * Binds every key of the section into trainer settings, in this one place; the run adds what the YAML does not
     * hold (seed, root folder, callbacks, loggers).
     *
     * @param b a {@link TrainerConfig#builder()} or {@link io.geolightning.trainer.Trainer#builder()}
     * @param <B> the builder type
     * @return {@code b}
     * @throws ConfigException naming the key of a value the trainer cannot take
     */
    public <B extends TrainerConfig.Settings<B>> B applyTo(B b) {
        b.maxEpochs(maxEpochs).maxSteps(maxSteps).accumulateGradBatches(accumulateGradBatches)
                .gradientClipNorm(gradientClipNorm)
                .limitTrainBatches(batchLimit(limitTrainBatches, "trainer.limitTrainBatches"))
                .limitValBatches(batchLimit(limitValBatches, "trainer.limitValBatches"))
                .limitTestBatches(batchLimit(limitTestBatches, "trainer.limitTestBatches"))
                .valCheckInterval(batchLimit(valCheckInterval, "trainer.valCheckInterval"))
                .checkValEveryNEpoch(checkValEveryNEpoch).numSanityValSteps(numSanityValSteps)
                .deterministic(deterministic).fastDevRun(fastDevRun).overfitBatches(overfitBatches)
                .logEveryNSteps(logEveryNSteps);
        if (ckptPath != null && !ckptPath.isBlank()) {
            b.ckptPath(Path.of(ckptPath));
        }
        List<Device> d = deviceList();
        if (d != null) {
            b.devices(d);
        }
        return b;
    }

    /**
     * @param n a whole number of batches or a fraction of the loader
     * @param key the configuration key, for messages
     * @return the batch limit
     */
    public static BatchLimit batchLimit(Number n, String key) {
        if (n instanceof Integer || n instanceof Long) {
            if (n.longValue() < 1) {
                throw new ConfigException(key + " " + n + ": a batch count must be at least 1 (or use a fraction"
                        + " such as 0.5)");
            }
            return BatchLimit.count(n.intValue());
        }
        double f = n.doubleValue();
        if (!(f > 0 && f <= 1)) {
            throw new ConfigException(key + " " + n + ": a fraction must be in (0, 1]; write a whole number for a"
                    + " batch count");
        }
        return f == 1.0 ? BatchLimit.ALL : BatchLimit.fraction(f);
    }

    private static final Pattern DEVICE = Pattern.compile("(cpu|gpu)\\(?(\\d{0,4})\\)?");

    /**
     * @return the devices of {@code devices}, or null for the engine's default device
     * @throws ConfigException for a count below 1, an unknown device name or a device listed twice
     */
    public List<Device> deviceList() {
        if (devices == null) {
            return null;
        }
        if (devices instanceof Integer || devices instanceof Long) {
            long n = ((Number) devices).longValue();
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new ConfigException("trainer.devices " + n + ": a device count must be at least 1; or list the"
                        + " devices, e.g. devices: [cpu()]");
            }
            return List.of(Engine.getInstance().getDevices((int) n));
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
}
