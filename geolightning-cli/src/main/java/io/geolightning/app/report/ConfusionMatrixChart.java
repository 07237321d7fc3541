package io.geolightning.app.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A confusion matrix heat map drawn with Java2D: rows are the true classes, columns the predicted ones, each cell
 * shaded by its share of the row (recall) and labelled with its count.
 */
public final class ConfusionMatrixChart {

    private ConfusionMatrixChart() {
    }

    /**
     * @param title chart title (a second line, e.g. the data it was computed on, may follow a newline)
     * @param counts counts[truth][predicted]
     * @param classNames class names (row/column labels)
     * @return the chart image
     */
    public static BufferedImage render(String title, long[][] counts, List<String> classNames) {
        int n = counts.length;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, n > 12 ? 10 : 12);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(font);
        FontMetrics pm = pg.getFontMetrics();
        int labelW = 0;
        for (int i = 0; i < n; i++) {
            labelW = Math.max(labelW, pm.stringWidth(name(classNames, i)));
        }
        String[] titleLines = title.split("\n", 2);
        pg.setFont(font.deriveFont(Font.BOLD, 14f));
        int titleW = pg.getFontMetrics().stringWidth(titleLines[0]);
        pg.setFont(font);
        if (titleLines.length > 1) {
            titleW = Math.max(titleW, pm.stringWidth(titleLines[1]));
        }
        pg.dispose();
        labelW = Math.min(labelW, 180) + 12;
        int cell = Math.max(22, Math.min(72, 640 / Math.max(1, n)));
        int left = labelW + 24;
        int top = labelW + 60;
        int width = Math.max(left + n * cell + 20, titleW + 20);
        int height = top + n * cell + 20;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(font.deriveFont(Font.BOLD, 14f));
            g.drawString(titleLines[0], 10, 20);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            if (titleLines.length > 1) {
                g.drawString(titleLines[1], 10, 38);
            }
            g.drawString("predicted \u2192", left, top - labelW - 8);
            Graphics2D rot = (Graphics2D) g.create();
            rot.rotate(-Math.PI / 2);
            rot.drawString("true \u2192", -(top + fm.stringWidth("true \u2192")) - 4, 14);
            rot.dispose();
            for (int t = 0; t < n; t++) {
                long rowSum = 0;
                for (long v : counts[t]) {
                    rowSum += v;
                }
                String rn = clip(name(classNames, t), fm, labelW - 6);
                g.setColor(Color.BLACK);
                g.drawString(rn, left - 6 - fm.stringWidth(rn), top + t * cell + cell / 2 + fm.getAscent() / 2 - 2);
                for (int p = 0; p < n; p++) {
                    double share = rowSum == 0 ? 0 : (double) counts[t][p] / rowSum;
                    g.setColor(shade(share));
                    g.fillRect(left + p * cell, top + t * cell, cell, cell);
                    g.setColor(new Color(0xCCCCCC));
                    g.drawRect(left + p * cell, top + t * cell, cell, cell);
                    if (cell >= 26) {
                        String s = Long.toString(counts[t][p]);
                        g.setColor(share > 0.55 ? Color.WHITE : Color.BLACK);
                        g.drawString(s, left + p * cell + (cell - fm.stringWidth(s)) / 2,
                                top + t * cell + cell / 2 + fm.getAscent() / 2 - 2);
                    }
                }
            }
            Graphics2D colLabels = (Graphics2D) g.create();
            colLabels.rotate(-Math.PI / 2);
            colLabels.setColor(Color.BLACK);
            for (int p = 0; p < n; p++) {
                String cn = clip(name(classNames, p), fm, labelW - 6);
                colLabels.drawString(cn, -(top - 6), left + p * cell + cell / 2 + fm.getAscent() / 2 - 2);
            }
            colLabels.dispose();
        } finally {
            g.dispose();
        }
        return img;
    }

    private static Color shade(double share) {
        double s = Math.max(0, Math.min(1, share));
        int r = (int) Math.round(247 + (8 - 247) * s);
        int gr = (int) Math.round(251 + (48 - 251) * s);
        int b = (int) Math.round(255 + (107 - 255) * s);
        return new Color(r, gr, b);
    }

    private static String name(List<String> names, int i) {
        return names != null && i < names.size() ? names.get(i) : "class " + i;
    }

    private static String clip(String s, FontMetrics fm, int max) {
        if (fm.stringWidth(s) <= max) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "\u2026") > max) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "\u2026";
    }
}
