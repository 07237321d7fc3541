package io.geolightning.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.geolightning.app.cli.CliRun;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report as a browser shows it: Debian's Chromium, headless, takes a screenshot of report.html after an
 * Olinda run; the latest drawing of the validation predictions and the loss plot are found in it pixel for pixel,
 * and the loss plot's last training point sits where the console's last {@code train_loss_epoch} puts it (within a
 * pixel). scripts/setup --tests installs Chromium.
 */
class ReportScreenshotTest {

    private static final int TRAIN_BLUE = 0x1f77b4;

    @Test
    void theBrowserShowsTheGalleryAndTheConsolesLastEpochMean(@TempDir Path tmp) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assumeTrue(Files.isExecutable(chromium), "Chromium is not installed (scripts/setup --tests installs it)");
        Path chips = tmp.resolve("chips");
        CliRun tile = CliRun.tileOlinda(chips);
        assertEquals(0, tile.code(), tile.err());
        CliRun train = CliRun.of("train", "--config", CliRun.sample("run.yaml"), "--set", "data.chips=" + chips,
                "--set", "runs=" + tmp.resolve("runs"), "--set", "trainer.maxEpochs=4", "--set",
                "callbacks.earlyStopping.enabled=false");
        assertEquals(0, train.code(), train.err());
        Matcher last = Pattern.compile("(?m)^epoch (\\d+)/3  train_loss_epoch (\\S+)").matcher(train.out());
        double consoleLoss = Double.NaN;
        int lastEpoch = -1;
        while (last.find()) {
            lastEpoch = Integer.parseInt(last.group(1));
            consoleLoss = Double.parseDouble(last.group(2));
        }
        assertEquals(3, lastEpoch, train.out());
        RunFolder run = new RunFolder(tmp.resolve("runs/olinda/version_0"));

        Path shot = tmp.resolve("shot.png");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + tmp.resolve("profile"), "--force-color-profile=srgb",
                "--force-device-scale-factor=1", "--hide-scrollbars", "--window-size=1100,5000",
                "--screenshot=" + shot, run.report().toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log")
                .toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "Chromium did not finish in 120 s");
        assertTrue(Files.size(shot) > 0, Files.readString(tmp.resolve("chromium.log")));
        BufferedImage page = ImageIO.read(shot.toFile());

        File latest;
        try (Stream<Path> s = Files.list(run.predictions())) {
            latest = s.filter(f -> f.getFileName().toString().startsWith("epoch=3-")).findFirst().orElseThrow()
                    .toFile();
        }
        int[] gallery = find(page, ImageIO.read(latest));
        assertTrue(gallery != null, "the latest validation-prediction drawing is not on the page");

        BufferedImage plot = ImageIO.read(run.plots().resolve("loss.png").toFile());
        int[] at = find(page, plot);
        assertTrue(at != null, "the loss plot is not on the page");
        LineChart chart = RunReport.lossChart(MetricsHistory.read(run.metrics()));
        int[] point = chart.pixelOf(lastEpoch, consoleLoss, plot.getWidth(), plot.getHeight());
        int column = at[0] + point[0];
        int top = -1;
        int bottom = -1;
        for (int y = at[1] + point[1] - 8; y <= at[1] + point[1] + 8; y++) {
            if (near(page.getRGB(column, y), TRAIN_BLUE)) {
                top = top < 0 ? y : top;
                bottom = y;
            }
        }
        assertTrue(top >= 0, "no training point near the console's value on the page");
        double drawnRow = (top + bottom) / 2.0 - at[1];
        double drawnValue = chart.valueOfRow(drawnRow, plot.getWidth(), plot.getHeight());
        double perPixel = Math.abs(chart.valueOfRow(0, plot.getWidth(), plot.getHeight())
                - chart.valueOfRow(1, plot.getWidth(), plot.getHeight()));
        assertEquals(consoleLoss, drawnValue, 1.5 * perPixel, "the curve's last training point vs the console");
    }

    /** @return the top-left corner where {@code part} appears in {@code page} pixel for pixel, or null */
    private static int[] find(BufferedImage page, BufferedImage part) {
        int w = part.getWidth();
        int h = part.getHeight();
        int probeX = w / 2;
        int probeY = h / 2;
        int probe = part.getRGB(probeX, probeY) & 0xffffff;
        for (int y = 0; y + h <= page.getHeight(); y++) {
            for (int x = 0; x + w <= page.getWidth(); x++) {
                if ((page.getRGB(x + probeX, y + probeY) & 0xffffff) == probe && same(page, part, x, y)) {
                    return new int[] {x, y};
                }
            }
        }
        return null;
    }

    private static boolean same(BufferedImage page, BufferedImage part, int x0, int y0) {
        for (int y = 0; y < part.getHeight(); y += 3) {
            for (int x = 0; x < part.getWidth(); x += 3) {
                if (!near(page.getRGB(x0 + x, y0 + y), part.getRGB(x, y) & 0xffffff)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean near(int argb, int rgb) {
        return Math.abs(((argb >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 2
                && Math.abs(((argb >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 2
                && Math.abs((argb & 0xff) - (rgb & 0xff)) <= 2;
    }
}
