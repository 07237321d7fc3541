package io.geolightning.models.nn;

import io.geolightning.foundation.GeoLightningException;

/**
 * The unchecked exception of the land-use-models module. Its message is one line naming the file or value,
 * the problem and the fix, e.g. {@code "model.json: checkpoint expects 6 bands but L7.tif has 3; ..."}.
 *
 * <p>An error about one option's value ({@link #badOption}) also carries that option, the value and the problem apart,
 * so that a front end names the option in its own vocabulary (a YAML key, a {@code --set}) without reading the message.
 */
public class ModelException extends GeoLightningException {

    private static final long serialVersionUID = 1L;

    /** The option a bad value was given to ({@code width}, {@code lr}), or null. */
    private final String option;
    /** The bad value as the message shows it ({@code 1.5}, {@code 'abc'}), or null. */
    private final String value;
    /** What is wrong with the value and the fix, without naming it, or null. */
    private final String problem;

    /** @param message one line: what (file or value), the problem, the fix */
    public ModelException(String message) {
        this(message, (Throwable) null);
    }

    /**
     * @param message one line: what (file or value), the problem, the fix
     * @param cause the underlying failure
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
        this.option = null;
        this.value = null;
        this.problem = null;
    }

    /**
     * @param kind whose mistake it is (a {@link Kind#USAGE} for a bad option)
     * @param message one line: what (file or value), the problem, the fix
     */
    protected ModelException(Kind kind, String message) {
        super(kind, message);
        this.option = null;
        this.value = null;
        this.problem = null;
    }

    private ModelException(String option, String value, String problem, String message) {
        super(message);
        this.option = option;
        this.value = value;
        this.problem = problem;
    }

    /**
     * A bad value of one option. The message reads {@code <what> <option> = <value><link><problem>}, e.g.
     * {@code model option dropout = 1.5 is outside [0, 1); pass e.g. 0.2}.
     *
     * @param what what the option belongs to, e.g. {@code "model option"}
     * @param option the option's name, e.g. {@code dropout}
     * @param value the value as the message shows it, e.g. {@code 1.5} or {@code 'abc'}
     * @param link what joins the value and the problem in the message: {@code " is "}, {@code " "} or {@code ": "}
     * @param problem what is wrong and the fix, e.g. {@code "outside [0, 1); pass e.g. 0.2"}
     * @return the exception
     */
    public static ModelException badOption(String what, String option, Object value, String link, String problem) {
        String shown = String.valueOf(value);
        return badOption(option, shown, problem, what + " " + option + " = " + shown + link + problem);
    }

    /**
     * A bad value of one option, whose message is worded freely.
     *
     * @param option the option's name, e.g. {@code lr}
     * @param value the value as the message shows it
     * @param problem what is wrong and the fix, without naming the option, e.g. {@code "not a positive number"}
     * @param message the whole line, as the Java API shows it
     * @return the exception
     */
    public static ModelException badOption(String option, Object value, String problem, String message) {
        return new ModelException(option, String.valueOf(value), problem, message);
    }

    /** @return the option whose value is bad, or null when the error is not about one option's value */
    public String option() {
        return option;
    }

    /** @return the bad value as the message shows it (see {@link #option()}), or null */
    public String value() {
        return value;
    }

    /** @return what is wrong with the value and the fix, without naming it (see {@link #option()}), or null */
    public String problem() {
        return problem;
    }
}
