package io.geolightning.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Spark as a user installs it, built from the test JVM's classpath: Spark's own jars (what a distribution's
 * {@code jars/} folder holds, with its log4j binding), the project's runtime jars a job passes with {@code --jars}
 * (minus those Spark ships itself), and the application jar. {@link #home(Path)} lays the jars out as a
 * {@code SPARK_HOME} so Spark's standalone Worker can launch executors from it.
 *
 * @param sparkJars Spark's jars
 * @param userJars the project's runtime jars not shipped by Spark
 */
record SparkDistribution(List<String> sparkJars, List<String> userJars) {

    /**
     * The project's runtime artifacts that a Spark 4.2.0 distribution ships itself, in the same versions (this
     * module pins Parquet and Hadoop to Spark's; the rest agree already): the overlap of {@code mvn dependency:list}
     * of spark-sql_2.13:4.2.0 with this module's runtime classpath. They are not passed with --jars.
     */
    static final List<String> SHIPPED_BY_SPARK = List.of("org.apache.parquet:parquet-hadoop",
            "org.apache.parquet:parquet-column", "org.apache.parquet:parquet-common", "org.apache.parquet:parquet-encoding",
            "org.apache.parquet:parquet-format-structures", "org.apache.parquet:parquet-jackson",
            "org.apache.hadoop:hadoop-client-api", "org.locationtech.jts:jts-core", "org.yaml:snakeyaml",
            "com.fasterxml.jackson.core:jackson-databind", "com.fasterxml.jackson.core:jackson-annotations",
            "com.fasterxml.jackson.core:jackson-core", "com.google.code.gson:gson", "commons-codec:commons-codec",
            "org.apache.commons:commons-compress", "org.xerial.snappy:snappy-java", "com.github.luben:zstd-jni",
            "io.airlift:aircompressor", "javax.annotation:javax.annotation-api", "org.slf4j:slf4j-api");

    /** @return the distribution of this test JVM (spark-jobs' runtime classpath file and the test classpath) */
    static SparkDistribution fromTestClasspath() throws IOException {
        List<String> runtime = List.of(Files.readString(Path.of("target/runtime-classpath.txt")).trim()
                .split(File.pathSeparator));
        List<String> userJars = runtime.stream().filter(j -> !SHIPPED_BY_SPARK.contains(groupArtifact(j))).toList();
        List<String> spark = new ArrayList<>();
        for (String e : testClasspath()) {
            String n = Path.of(e).getFileName().toString();
            if (userJars.contains(e) || e.endsWith("classes") || n.startsWith("junit-") || n.startsWith("opentest4j")
                    || n.startsWith("apiguardian") || n.startsWith("surefire") || n.startsWith("slf4j-simple")) {
                continue;
            }
            spark.add(e);
        }
        // Spark's distribution binds SLF4J to log4j 2; the pom copies that binding here (it is kept off this module's
        // classpath, whose tests log through slf4j-simple)
        try (Stream<Path> s = Files.list(Path.of("target/spark-logging"))) {
            s.filter(p -> p.getFileName().toString().startsWith("log4j-slf4j2-impl-")).forEach(p -> spark.add(
                    p.toAbsolutePath().toString()));
        }
        return new SparkDistribution(List.copyOf(spark), userJars);
    }

    /**
     * @param heap e.g. "-Xmx2g"
     * @return the start of a command running a JVM on Spark's jars with GDAL's JNI library, DJL offline and Spark's
     *     --add-opens list (append the main class and its arguments)
     */
    List<String> java(String heap) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-cp", String.join(File.pathSeparator, sparkJars), "-Djava.library.path=" + nativeLibraries(),
                "-Dai.djl.offline=true"));
        cmd.addAll(ManagementArgs.addOpens());
        return cmd;
    }

    /** @return the folder of GDAL's JNI library built at set-up */
    static Path nativeLibraries() {
        return Path.of(System.getProperty("geolightning.root"), "build", "native");
    }

    /**
     * Lays out a SPARK_HOME: {@code jars/} (links to Spark's jars), {@code conf/}, and the {@code RELEASE} file by
     * which Spark's launcher recognises a distribution.
     *
     * @param dir the folder (created)
     * @return it
     */
    Path home(Path dir) throws IOException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        Files.createDirectories(dir.resolve("conf"));
        for (String j : sparkJars) {
            Path p = Path.of(j);
            if (Files.isRegularFile(p) && j.endsWith(".jar")) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        Files.writeString(dir.resolve("RELEASE"), "Spark 4.2.0 (jars from the Maven repository, for tests)\n");
        return dir;
    }

    /** @return the application jar: this module's classes, written into {@code dir} */
    Path appJar(Path dir) throws IOException {
        Path classes = Path.of("target/classes");
        Path jar = dir.resolve("spark-jobs.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }

    /** @return "groupId:artifactId" of a jar in a Maven repository */
    static String groupArtifact(String jar) {
        Path artifactDir = Path.of(jar).getParent().getParent();
        String dir = artifactDir.getParent().toString();
        int repo = dir.indexOf("/repository/");
        String group = repo < 0 ? "" : dir.substring(repo + "/repository/".length()).replace('/', '.');
        return group + ":" + artifactDir.getFileName();
    }

    /** The test JVM's classpath entries, expanding surefire's manifest-only booter jar. */
    static List<String> testClasspath() throws IOException {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(e).getFileName().toString().startsWith("surefirebooter")) {
                try (java.util.jar.JarFile jf = new java.util.jar.JarFile(e)) {
                    String cp = jf.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String u : cp.trim().split("\\s+")) {
                        out.add(Path.of(java.net.URI.create(u)).toString());
                    }
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }
}
