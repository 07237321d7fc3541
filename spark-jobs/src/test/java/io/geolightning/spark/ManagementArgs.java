package io.geolightning.spark;

import java.lang.management.ManagementFactory;
import java.util.List;

/** The JVM flags of this test JVM that a child JVM running Spark needs too (the --add-opens list). */
final class ManagementArgs {
    private ManagementArgs() {
    }

    static List<String> addOpens() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")
                        || a.startsWith("-Dio.netty") || a.startsWith("-Dai.djl"))
                .toList();
    }
}
