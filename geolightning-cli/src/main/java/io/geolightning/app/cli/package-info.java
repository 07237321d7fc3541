/**
 * The {@code geolightning} command line (picocli): {@code info}, {@code tile}, {@code train}, {@code predict},
 * {@code evaluate}. Entry point {@link io.geolightning.app.cli.GeoLightningCli#main(String[])}, or
 * {@link io.geolightning.app.cli.GeoLightningCli#execute(String[], java.io.PrintWriter, java.io.PrintWriter)}
 * in-process. Exit codes: 0 ok, 1 failure, 2 usage error (command line or run configuration); errors are one line on
 * stderr, {@code error: <file>: <problem>; <fix>}, with the stack trace only under {@code --verbose}. This is the only
 * package that prints; everything else logs through SLF4J.
 */
package io.geolightning.app.cli;
