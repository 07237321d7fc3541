package io.geolightning.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every job command shares: where Spark runs and how. */
final class SparkOptions {

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark-submit's, else local[*] = every core of this machine).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "Extra Spark setting, repeatable (e.g. --conf spark.ui.enabled=false).")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--fail-on-scene-error",
            description = "Exit with 1 when any scene failed (default: 0 as long as one scene succeeded).")
    boolean failOnSceneError;
}
