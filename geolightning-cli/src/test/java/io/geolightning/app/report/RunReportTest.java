package io.geolightning.app.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    @TempDir
    Path tmp;

    @Test
    void metricsHistoryAveragesStepsPerEpoch() throws Exception {
        Path csv = tmp.resolve("metrics.csv");
        Files.writeString(csv, "step,epoch,train_loss,val_loss\n1,0,1.0,\n2,0,0.5,\n2,0,,0.8\n3,1,0.25,\n4,1,,0.4\n");
        MetricsHistory h = MetricsHistory.read(csv);
        assertEquals(List.of("train_loss", "val_loss"), h.metricNames());
        double[][] train = h.perEpoch("train_loss");
        assertArrayEquals(new double[] {0, 1}, train[0]);
        assertArrayEquals(new double[] {0.75, 0.25}, train[1], 1e-12);
        assertEquals(0.4, h.last("val_loss"));
        assertTrue(Double.isNaN(h.last("val_acc")));
        // a class's precision the last validation did not log (none of the class predicted) is not shown as its
        // earlier value; metrics of other groups logged in between do not hide a metric
        Files.writeString(csv, "step,epoch,train_loss_step,train_loss_epoch,val_loss,val_precision_1,lr\n"
                + "1,0,0.9,,,,0.1\n2,0,0.8,0.85,0.7,0.5,\n3,1,0.6,,,,0.05\n4,1,0.5,0.55,0.6,,\n5,2,0.4,,,,\n");
        assertEquals(Map.of("train_loss_step", 0.4, "train_loss_epoch", 0.55, "val_loss", 0.6, "lr", 0.05),
                MetricsHistory.read(csv).lastValues());
        Files.writeString(csv, "step,epoch,val_loss\n1,0,abc\n");
        ReportException e = assertThrows(ReportException.class, () -> MetricsHistory.read(csv));
        assertTrue(e.getMessage().contains("metrics.csv: line 2, column val_loss holds 'abc'"), e.getMessage());
        assertEquals(0, MetricsHistory.read(tmp.resolve("none.csv")).size());
    }

    @Test
    void reportHasPlotsTablesAndEscapedText() throws Exception {
        RunFolder folder = new RunFolder(tmp.resolve("run/version_0"));
        folder.create();
        Files.writeString(folder.metrics(), "step,epoch,train_loss,val_loss,val_acc\n5,0,0.9,,\n10,0,0.7,0.6,0.7\n"
                + "15,1,0.5,,\n20,1,0.4,0.45,0.8\n");
        long[][] cm = {{50, 5}, {10, 35}};
        RunSummary s = new RunSummary("demo <run>", "model:\n  architecture: cnn\n", Map.of("classes", "[a, b]"),
                List.of("RURAL", "URBANO"), cm, "test split", Map.of("test_acc", 0.85), "checkpoints/best.ckpt",
                "checkpoints/last.ckpt", 2, 12.5, null);
        Path report = RunReport.write(folder, s);
        String html = Files.readString(report);
        assertTrue(html.contains("<title>demo &lt;run&gt;</title>"), "escaped title");
        assertTrue(html.contains("<img src=\"plots/loss.png\"") && html.contains("plots/metrics.png")
                && html.contains("plots/confusion.png"), html);
        assertTrue(html.contains("<td>35</td>") && html.contains("0.8500"), "confusion table and evaluation");
        for (String png : List.of("loss.png", "metrics.png", "confusion.png")) {
            BufferedImage img = ImageIO.read(folder.plots().resolve(png).toFile());
            assertTrue(img.getWidth() > 100 && img.getHeight() > 100, png);
            assertTrue(distinctColours(img) > 10, png + " has content");
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(report)));
        try (var files = Files.list(folder.dir())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary left");
        }
    }

    @Test
    void confusionChartShadesByRowShare() {
        BufferedImage img = ConfusionMatrixChart.render("Confusion matrix\nvalidation", new long[][] {{9, 1}, {0, 10}},
                List.of("a", "b"));
        assertTrue(img.getWidth() >= 100);
        LineChart empty = new LineChart("t", "x", "y");
        assertTrue(empty.isEmpty());
        BufferedImage flat = new LineChart("t", "x", "y").add("s", new double[] {0, 1}, new double[] {2, 2})
                .render(300, 200);
        assertNotEquals(0, distinctColours(flat));
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, LineChart.ticks(0, 1, 5, false), 1e-12);
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                c.add(img.getRGB(x, y));
            }
        }
        return c.size();
    }
}
