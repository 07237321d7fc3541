package io.geolightning.models.predict;

import io.geolightning.models.nn.ModelException;

/**
 * A prediction option whose value cannot work (a negative window, an overlap as large as the window, a window that
 * does not fit the model): a usage error, named by its command-line flag ({@code --window}, {@code --overlap},
 * {@code --batch-size}, {@code --bands}, {@code --probabilities}); the CLI exits with 2.
 */
public class PredictOptionException extends ModelException {

    private static final long serialVersionUID = 1L;

    /** @param message one line: the flag and value, the problem, the fix */
    public PredictOptionException(String message) {
        super(Kind.USAGE, message);
    }
}
