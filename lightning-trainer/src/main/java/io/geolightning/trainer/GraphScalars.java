package io.geolightning.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Arithmetic with a number on arrays that autograd records (losses, loss scaling). Use these, not DJL's
 * {@code mul(Number)}, {@code div(Number)}, {@code maximum(Number)} or {@code pow(Number)}, on any array whose gradient
 * is wanted; for any other operation with a number ({@code minimum}, ...) pass {@link #of} as the other operand.
 *
 * <p>DJL 0.35.1's PyTorch engine runs those by wrapping the number in a 0-d tensor over a direct buffer
 * ({@code torch::from_blob}: libtorch does not copy it, Java owns the memory), applying the tensor operation and
 * closing the wrapper at once. These operations' gradients read the other operand, so autograd keeps the wrapper for
 * the backward pass: a garbage collection between forward and backward frees the buffer under it, and the backward
 * pass multiplies by whatever reused that memory ({@code GraphScalarsTest}: {@code x.mul(2f)} then a collection and
 * some direct buffers gave the gradient 1e30 instead of 2 in 20 tries of 20). Sums and differences with a number are
 * safe: their gradients do not read it.
 *
 * <p>Here the number is an array on the operand's manager, open until that manager (in training the step's scope)
 * closes, after the backward pass.
 */
public final class GraphScalars {

    private GraphScalars() {
    }

    /**
     * @param like the array the number meets (its manager and data type)
     * @param value the number
     * @return a 0-d array holding {@code value}, open as long as {@code like}'s manager
     */
    public static NDArray of(NDArray like, double value) {
        NDArray s = like.getDataType() == DataType.FLOAT64 ? like.getManager().create(value)
                : like.getManager().create((float) value);
        return like.getDataType() == s.getDataType() ? s : s.toType(like.getDataType(), false);
    }

    /** @return {@code a * value}, safe to back-propagate through */
    public static NDArray mul(NDArray a, double value) {
        return a.mul(of(a, value));
    }

    /** @return {@code a / value}, safe to back-propagate through */
    public static NDArray div(NDArray a, double value) {
        return a.div(of(a, value));
    }

    /** @return {@code max(a, value)} element-wise, safe to back-propagate through */
    public static NDArray maximum(NDArray a, double value) {
        return a.maximum(of(a, value));
    }

    /** @return {@code a ^ value} element-wise, safe to back-propagate through */
    public static NDArray pow(NDArray a, double value) {
        return a.pow(of(a, value));
    }
}
