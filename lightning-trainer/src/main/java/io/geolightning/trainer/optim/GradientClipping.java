package io.geolightning.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.Collection;

/**
 * Clipping by the GLOBAL L2 norm over all gradients, like {@code torch.nn.utils.clip_grad_norm_}: if
 * {@code ||g||_2 > maxNorm} over the concatenation of every gradient, every gradient is scaled by
 * {@code maxNorm / ||g||_2}. (DJL's {@code optClipGrad} clips each value separately, which changes the direction
 * of the update.)
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Computes the global L2 norm of the gradients.
     *
     * @param parameters the parameters (those without a gradient are skipped)
     * @return the norm
     */
    public static double globalNorm(Collection<Parameter> parameters) {
        double sumSq = 0;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Parameter p : parameters) {
                if (p.requiresGradient() && p.isInitialized()) {
                    NDArray g = p.getArray().getGradient();
                    sumSq += g.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).square().sum().getDouble();
                }
            }
        }
        return Math.sqrt(sumSq);
    }

    /**
     * Scales all gradients in place so their global L2 norm is at most {@code maxNorm}.
     *
     * @param parameters the parameters
     * @param maxNorm the threshold (&gt; 0)
     * @return the global norm before clipping
     */
    public static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new io.geolightning.trainer.TrainerException("gradientClipNorm " + maxNorm
                    + " must be > 0; pass e.g. 1.0, or leave it unset to disable clipping");
        }
        double norm = globalNorm(parameters);
        if (norm > maxNorm && Double.isFinite(norm)) {
            double scale = maxNorm / (norm + 1e-6);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                for (Parameter p : parameters) {
                    if (p.requiresGradient() && p.isInitialized()) {
                        p.getArray().getGradient().muli(scale);
                    }
                }
            }
        }
        return norm;
    }
}
