package io.geolightning.trainer;

import ai.djl.engine.Engine;

/**
 * Seeds the random number generators a run draws from, like Lightning's {@code seed_everything}: DJL's engine RNG
 * (which also drives DJL's samplers) and, through the engine, PyTorch's default generator (weight initialisation,
 * dropout). The {@link Trainer} seeds them at each entry point and epoch, but a network whose parameters are
 * initialised before {@code fit} (a module that initialises its block in its constructor) draws its weights
 * earlier: call {@link #seedEverything} before building the module for a reproducible run.
 *
 * <p>Reproducible means the same numbers on the same machine and the same libtorch build: oneDNN picks kernels by
 * CPU instruction set, and a parallel reduction may group its terms by the number of intra-op threads.
 */
public final class Seeding {

    private Seeding() {
    }

    /** @param seed seed of DJL's and PyTorch's random number generators */
    public static void seedEverything(int seed) {
        Engine.getInstance().setRandomSeed(seed);
    }

    /**
     * Seeds every generator from a base seed and an epoch, as the {@link Trainer} does at each entry point (epoch 0)
     * and, with {@code deterministic(true)}, at each epoch start: a resumed run reseeds exactly as the uninterrupted
     * one did.
     *
     * @param seed the run's base seed
     * @param epoch the epoch
     */
    public static void seedEpoch(int seed, int epoch) {
        long mixed = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L;
        mixed ^= mixed >>> 31;
        seedEverything((int) (mixed & 0x7fffffff));
    }
}
