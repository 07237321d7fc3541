package io.geolightning.trainer.callbacks;

import io.geolightning.trainer.Trainer;
import io.geolightning.trainer.TrainerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link ModelCheckpoint} file name template: {@code {epoch}}, {@code {step}} and any logged metric, optionally
 * formatted as {@code String.format} formats a number ({@code "epoch={epoch}-val_loss={val_loss:.4f}"} gives
 * {@code epoch=3-val_loss=0.1234}); with Lightning's {@code auto_insert_metric_name} a field gets its name written
 * before it ({@code {epoch}-{val_loss:.4f}} gives the same name).
 */
public final class CheckpointFilename {

    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z0-9_./-]+)(?::([^}]*))?}");

    private CheckpointFilename() {
    }

    /**
     * @param template a file name template
     * @throws TrainerException when it is blank, names a folder, or formats a field with a specification that
     *     {@code String.format} refuses ({@code {val_loss:.4q}})
     */
    public static void check(String template) {
        check(template, false);
    }

    /**
     * @param template a file name template
     * @param saveLast whether {@code last.ckpt} is written too: a template that is just {@code last} would write the
     *     monitored checkpoints over it (or it over them), and the best epoch would be lost
     * @throws TrainerException as {@link #check(String)}, and for {@code last} beside {@code saveLast}
     */
    public static void check(String template, boolean saveLast) {
        if (saveLast && template != null && (template.equals("last") || template.equals("last.ckpt"))) {
            throw new TrainerException("ModelCheckpoint filename '" + template + "' is the last-epoch checkpoint's"
                    + " name (saveLast), which would overwrite the best; pick another, e.g. \"best\"");
        }
        if (template == null || template.isBlank() || template.contains("/") || template.contains("\\")) {
            throw new TrainerException("ModelCheckpoint filename '" + template
                    + "' is invalid; pass a template without folders, e.g. \"epoch={epoch}-val_loss={val_loss:.4f}\"");
        }
        Matcher m = FIELD.matcher(template);
        while (m.find()) {
            String spec = m.group(2);
            if (spec != null && !spec.isEmpty()) {
                try {
                    number(spec, 1);
                } catch (java.util.IllegalFormatException e) {
                    throw new TrainerException("ModelCheckpoint filename '" + template + "': {" + m.group(1) + ":"
                            + spec + "} is not a number format; use e.g. {" + m.group(1) + ":.4f}");
                }
            }
        }
    }

    /**
     * @param template a file name template
     * @return the names of the fields it formats, in order ({@code epoch}, {@code step} and metrics)
     */
    public static List<String> fields(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = FIELD.matcher(template);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * @param template a file name template
     * @param trainer the trainer whose epoch, step and metrics fill it
     * @param autoInsertName Lightning's {@code auto_insert_metric_name}: a field not already written after its name
     *     gets it ({@code {epoch}-{val_loss:.2f}} gives {@code epoch=3-val_loss=0.12}); unlike Lightning,
     *     {@code epoch={epoch}} stays {@code epoch=3}, not {@code epoch=epoch=3}
     * @return the file name (without {@code .ckpt})
     * @throws TrainerException when the template names a metric that was never logged
     */
    static String format(String template, Trainer trainer, boolean autoInsertName) {
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String spec = m.group(2);
            Object value;
            if (key.equals("epoch")) {
                value = trainer.currentEpoch();
            } else if (key.equals("step")) {
                value = trainer.globalStep();
            } else {
                Double v = trainer.callbackMetrics().get(key);
                if (v == null) {
                    throw new TrainerException("ModelCheckpoint filename '" + template + "' uses {" + key
                            + "} which was never logged (logged metrics: " + trainer.callbackMetrics().keySet()
                            + "); log it or change the template");
                }
                value = v;
            }
            String text = spec == null || spec.isEmpty() ? String.valueOf(value)
                    : number(spec, ((Number) value).doubleValue());
            if (autoInsertName && !template.substring(0, m.start()).endsWith(key + "=")) {
                text = key + "=" + text;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A number formatted by a field's specification: an integer for {@code d}, else the double. */
    private static String number(String spec, double d) {
        return String.format(Locale.ROOT, "%" + spec, spec.endsWith("d") ? (Object) (long) d : (Object) d);
    }
}
