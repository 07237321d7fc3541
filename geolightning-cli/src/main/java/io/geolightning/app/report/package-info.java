/**
 * Run folders ({@code <runs>/<name>/version_N/}, see {@link io.geolightning.app.report.RunFolder}) and their
 * {@code report.html}: run facts, data, final metrics, loss and metric curves and the confusion matrix.
 *
 * <p>The plots are drawn with Java2D into PNG files ({@link io.geolightning.app.report.LineChart},
 * {@link io.geolightning.app.report.ConfusionMatrixChart}, written by {@code javax.imageio}) rather than with a
 * plotting library: the report needs two simple chart types (curves over epochs and a heat map), which the JDK draws
 * headless with no dependency in a few hundred lines; JFreeChart (LGPL, about 1.6 MB) or XChart (with its PDF/SVG
 * exporter dependencies) would add jars and licences to every installation, and matching the report's layout would
 * take about as much code as drawing the charts. Every file is written to a temporary file and moved into place
 * atomically.
 */
package io.geolightning.app.report;
