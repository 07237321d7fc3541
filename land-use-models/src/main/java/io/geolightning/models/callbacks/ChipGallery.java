package io.geolightning.models.callbacks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws validation chips with their predictions as one image: each chip in display colours (three bands as RGB, or
 * one as grey, each stretched between its 2nd and 98th percentile), enlarged with nearest-neighbour to at least
 * {@link #MIN_TILE} pixels; a classified chip gets its predicted class and probability (green when right, red when
 * wrong) and its true class beneath; a segmented chip is drawn twice, with the true mask and with the predicted
 * mask overlaid in the class colours, with its pixel accuracy.
 */
final class ChipGallery {

    /** Smallest side of a drawn chip. */
    static final int MIN_TILE = 96;
    private static final int MAX_TILE = 192;
    private static final int CAPTION = 30;
    private static final int GAP = 6;
    private static final Color RIGHT = new Color(0x1b7f2a);
    private static final Color WRONG = new Color(0xc0262d);

    private ChipGallery() {
    }

    /**
     * @param chips the chips' pixels, each bands x height x width (normalised values are fine: they are stretched)
     * @param bands chip bands to show, 0-based: three (RGB) or one (grey)
     * @param height chip height
     * @param width chip width
     * @param truth classification: one class per chip; segmentation: height x width classes per chip
     * @param predicted as {@code truth}
     * @param confidence classification: the predicted class's probability per chip; segmentation: null
     * @param classNames class names
     * @param colors class value to colour
     * @param ignore the "unlabelled" class value of the masks (not drawn)
     * @return the gallery
     */
    static BufferedImage render(List<float[]> chips, int[] bands, int height, int width, List<int[]> truth,
                                List<int[]> predicted, float[] confidence, List<String> classNames,
                                Map<Integer, Color> colors, int ignore) {
        boolean segmentation = truth.get(0).length > 1;
        int tile = tileSide(Math.max(height, width));
        int tileW = tile * width / Math.max(height, width);
        int tileH = tile * height / Math.max(height, width);
        int perChip = segmentation ? 2 : 1;
        int columns = 4; // four classified chips, or two segmented chips drawn twice, per row
        int chipsPerRow = columns / perChip;
        int rows = (chips.size() + chipsPerRow - 1) / chipsPerRow;
        int cellW = tileW + GAP;
        int cellH = tileH + CAPTION + GAP;
        BufferedImage out = new BufferedImage(columns * cellW + GAP, rows * cellH + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < chips.size(); i++) {
                BufferedImage rgb = display(chips.get(i), bands, height, width);
                int col = (i % chipsPerRow) * perChip;
                int x0 = GAP + col * cellW;
                int y0 = GAP + (i / chipsPerRow) * cellH;
                if (segmentation) {
                    int[] t = truth.get(i);
                    int[] p = predicted.get(i);
                    long right = 0;
                    long labelled = 0;
                    for (int k = 0; k < t.length; k++) {
                        if (t[k] != ignore) {
                            labelled++;
                            right += t[k] == p[k] ? 1 : 0;
                        }
                    }
                    draw(g, overlay(rgb, t, colors, ignore), x0, y0, tileW, tileH);
                    caption(g, "truth", null, x0, y0 + tileH, Color.DARK_GRAY);
                    draw(g, overlay(rgb, p, colors, ignore), x0 + cellW, y0, tileW, tileH);
                    String acc = labelled == 0 ? "no labels" : String.format(Locale.ROOT, "%.1f%% right",
                            100.0 * right / labelled);
                    caption(g, "predicted", acc, x0 + cellW, y0 + tileH, Color.DARK_GRAY);
                } else {
                    int t = truth.get(i)[0];
                    int p = predicted.get(i)[0];
                    draw(g, rgb, x0, y0, tileW, tileH);
                    g.setStroke(new BasicStroke(3));
                    g.setColor(t == p ? RIGHT : WRONG);
                    g.drawRect(x0 + 1, y0 + 1, tileW - 3, tileH - 3);
                    caption(g, String.format(Locale.ROOT, "%s %.2f", name(classNames, p), confidence[i]),
                            "true: " + name(classNames, t), x0, y0 + tileH, t == p ? RIGHT : WRONG);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static int tileSide(int chip) {
        if (chip >= MIN_TILE) {
            return Math.min(chip, MAX_TILE);
        }
        return chip * ((MIN_TILE + chip - 1) / chip);
    }

    private static void draw(Graphics2D g, BufferedImage img, int x, int y, int w, int h) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, img.getWidth() < w
                ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, x, y, w, h, null);
    }

    private static void caption(Graphics2D g, String first, String second, int x, int y, Color color) {
        g.setColor(color);
        g.drawString(first, x + 1, y + 12);
        if (second != null) {
            g.setColor(Color.DARK_GRAY);
            g.drawString(second, x + 1, y + 25);
        }
    }

    private static String name(List<String> names, int c) {
        return c >= 0 && c < names.size() ? names.get(c) : "class " + c;
    }

    /** The chip in display colours: each shown band stretched between its 2nd and 98th percentiles. */
    static BufferedImage display(float[] chip, int[] bands, int height, int width) {
        int n = height * width;
        int[][] channels = new int[3][];
        for (int c = 0; c < 3; c++) {
            int band = bands[bands.length == 3 ? c : 0];
            float[] values = Arrays.copyOfRange(chip, band * n, (band + 1) * n);
            float[] sorted = values.clone();
            Arrays.sort(sorted);
            float lo = sorted[(int) (0.02 * (n - 1))];
            float hi = sorted[(int) Math.ceil(0.98 * (n - 1))];
            float range = hi > lo ? hi - lo : 1;
            int[] ch = new int[n];
            for (int k = 0; k < n; k++) {
                ch[k] = Math.max(0, Math.min(255, Math.round((values[k] - lo) / range * 255)));
            }
            channels[c] = ch;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < n; k++) {
            img.setRGB(k % width, k / width, channels[0][k] << 16 | channels[1][k] << 8 | channels[2][k]);
        }
        return img;
    }

    /** The chip with a class mask blended over it (45% class colour), "unlabelled" pixels left as they are. */
    static BufferedImage overlay(BufferedImage rgb, int[] mask, Map<Integer, Color> colors, int ignore) {
        int w = rgb.getWidth();
        BufferedImage out = new BufferedImage(w, rgb.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < mask.length; k++) {
            int x = k % w;
            int y = k / w;
            int base = rgb.getRGB(x, y);
            Color c = mask[k] == ignore ? null : colors.get(mask[k]);
            if (c == null) {
                out.setRGB(x, y, base);
                continue;
            }
            int r = blend((base >> 16) & 0xff, c.getRed());
            int gr = blend((base >> 8) & 0xff, c.getGreen());
            int b = blend(base & 0xff, c.getBlue());
            out.setRGB(x, y, r << 16 | gr << 8 | b);
        }
        return out;
    }

    private static int blend(int base, int color) {
        return Math.round(base * 0.55f + color * 0.45f);
    }
}
