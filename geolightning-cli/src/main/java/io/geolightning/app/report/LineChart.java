package io.geolightning.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart drawn with Java2D (headless): axes with "nice" ticks, one coloured polyline with markers per
 * series, a legend. Enough for loss and metric curves; see the README for why there is no plotting library.
 */
public final class LineChart {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
    };

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    /** One line: name and points. */
    private record Series(String name, double[] x, double[] y) {
    }

    /**
     * @param title chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     */
    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /**
     * @param name legend entry
     * @param x x values
     * @param y y values (non-finite points are skipped)
     * @return this chart
     */
    public LineChart add(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length
                    + " y values");
        }
        if (x.length > 0) {
            series.add(new Series(name, x.clone(), y.clone()));
        }
        return this;
    }

    /** @return true when no series has a point */
    public boolean isEmpty() {
        return series.isEmpty();
    }

    /**
     * @param width image width in pixels
     * @param height image height in pixels
     * @return the chart
     */
    public BufferedImage render(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            draw(g, width, height);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void draw(Graphics2D g, int width, int height) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(font.deriveFont(Font.BOLD, 14f));
        g.setColor(Color.BLACK);
        FontMetrics tf = g.getFontMetrics();
        g.drawString(title, (width - tf.stringWidth(title)) / 2, 22);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        Frame f = frame(width, height);
        int left = f.left();
        int right = f.right();
        int top = f.top();
        int bottom = f.bottom();
        double[] xt = f.xTicks();
        double[] yt = f.yTicks();
        double x0 = f.x0();
        double x1 = f.x1();
        double y0 = f.y0();
        double y1 = f.y1();
        // grid and tick labels
        g.setStroke(new BasicStroke(1f));
        for (double t : yt) {
            int py = py(t, y0, y1, top, bottom);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(left, py, right, py);
            g.setColor(Color.DARK_GRAY);
            String s = label(t);
            g.drawString(s, left - 6 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        for (double t : xt) {
            int px = px(t, x0, x1, left, right);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(px, top, px, bottom);
            g.setColor(Color.DARK_GRAY);
            String s = label(t);
            g.drawString(s, px - fm.stringWidth(s) / 2, bottom + fm.getAscent() + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString(xLabel, (left + right - fm.stringWidth(xLabel)) / 2, height - 12);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(top + bottom + fm.stringWidth(yLabel)) / 2, 16);
        rotated.dispose();
        // series
        for (int s = 0; s < series.size(); s++) {
            Series sr = series.get(s);
            g.setColor(PALETTE[s % PALETTE.length]);
            g.setStroke(new BasicStroke(2f));
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < sr.x.length; i++) {
                if (!Double.isFinite(sr.y[i])) {
                    continue;
                }
                double px = px(sr.x[i], x0, x1, left, right);
                double py = py(sr.y[i], y0, y1, top, bottom);
                if (started) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    started = true;
                }
                if (sr.x.length <= 60) {
                    g.fillOval((int) px - 3, (int) py - 3, 7, 7);
                }
            }
            g.draw(path);
        }
        // legend
        int ly = top + 8;
        int lx = right - 10 - series.stream().mapToInt(s -> fm.stringWidth(s.name)).max().orElse(0) - 26;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(lx - 6, ly - 8, right - lx, series.size() * 18 + 6);
        g.setColor(new Color(0xCCCCCC));
        g.drawRect(lx - 6, ly - 8, right - lx, series.size() * 18 + 6);
        for (int s = 0; s < series.size(); s++) {
            g.setColor(PALETTE[s % PALETTE.length]);
            g.fillRect(lx, ly + s * 18, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(series.get(s).name, lx + 24, ly + s * 18 + 6);
        }
    }

    /** The plot area in pixels and the data ranges it shows. */
    private record Frame(int left, int right, int top, int bottom, double x0, double x1, double y0, double y1,
                         double[] xTicks, double[] yTicks) {
    }

    private Frame frame(int width, int height) {
        double[] xr = range(true);
        double[] yr = range(false);
        double[] xt = ticks(xr[0], xr[1], 8, true);
        double[] yt = ticks(yr[0], yr[1], 6, false);
        return new Frame(70, width - 20, 40, height - 50, Math.min(xr[0], xt[0]), Math.max(xr[1], xt[xt.length - 1]),
                Math.min(yr[0], yt[0]), Math.max(yr[1], yt[yt.length - 1]), xt, yt);
    }

    /**
     * Where a data point is drawn in {@link #render(int, int)}'s image, so a test can find it in a screenshot.
     *
     * @param x a data x value
     * @param y a data y value
     * @param width the image's width
     * @param height the image's height
     * @return {pixel x, pixel y}
     */
    int[] pixelOf(double x, double y, int width, int height) {
        Frame f = frame(width, height);
        return new int[] {px(x, f.x0(), f.x1(), f.left(), f.right()), py(y, f.y0(), f.y1(), f.top(), f.bottom())};
    }

    /**
     * The data value of a pixel row of {@link #render(int, int)}'s image (the inverse of {@link #pixelOf}'s y).
     *
     * @param py a pixel row
     * @param width the image's width
     * @param height the image's height
     * @return the y value it stands for
     */
    double valueOfRow(double py, int width, int height) {
        Frame f = frame(width, height);
        return f.y0() + (f.bottom() - py) / (f.bottom() - f.top()) * (f.y1() - f.y0());
    }

    private static int px(double x, double x0, double x1, int left, int right) {
        return (int) Math.round(left + (x - x0) / (x1 - x0) * (right - left));
    }

    private static int py(double y, double y0, double y1, int top, int bottom) {
        return (int) Math.round(bottom - (y - y0) / (y1 - y0) * (bottom - top));
    }

    private double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                double v = xAxis ? s.x[i] : s.y[i];
                if (Double.isFinite(v) && Double.isFinite(s.y[i])) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!Double.isFinite(lo)) {
            return new double[] {0, 1};
        }
        if (hi - lo < 1e-12) {
            double pad = Math.abs(lo) > 1e-12 ? Math.abs(lo) * 0.1 : 1;
            return new double[] {lo - pad, hi + pad};
        }
        return new double[] {lo, hi};
    }

    /** Ticks at 1, 2 or 5 times a power of ten covering [lo, hi]. */
    static double[] ticks(double lo, double hi, int target, boolean integers) {
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        if (integers) {
            step = Math.max(1, Math.round(step));
        }
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[Math.max(2, n)];
        for (int i = 0; i < t.length; i++) {
            t[i] = start + i * step;
        }
        return t;
    }

    private static String label(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9 && Math.abs(v) < 1e7) {
            return Long.toString(Math.round(v));
        }
        double a = Math.abs(v);
        if (a >= 0.01 && a < 1e5) {
            return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
