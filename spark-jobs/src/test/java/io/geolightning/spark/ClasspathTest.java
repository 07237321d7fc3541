package io.geolightning.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The module's test classpath is the one spark-submit gives the jobs: Spark 4.2's own Parquet (1.17.0) and Hadoop
 * client (3.5.0, API and runtime of one version) instead of the 1.18.1 / 3.4.2 the single-machine modules pin, each
 * class from exactly one jar, and exactly one SLF4J provider. (The tile and predict tests then prove tiling's Parquet
 * writer and reader work on these jars.)
 */
class ClasspathTest {

    /** Spark 4.2.0's versions (spark-parent_2.13 pom: parquet.version, hadoop.version). */
    static final String PARQUET = "1.17.0";
    static final String HADOOP = "3.5.0";

    @Test
    void parquetAndHadoopAreSparksOwnVersionsFromOneJarEach() throws Exception {
        assertJar("org.apache.parquet.hadoop.ParquetWriter", "parquet-hadoop-" + PARQUET + ".jar");
        assertJar("org.apache.parquet.column.ColumnDescriptor", "parquet-column-" + PARQUET + ".jar");
        assertJar("org.apache.parquet.Version", "parquet-common-" + PARQUET + ".jar");
        assertJar("org.apache.parquet.column.values.bitpacking.BytePacker", "parquet-encoding-" + PARQUET + ".jar");
        assertJar("org.apache.parquet.format.FileMetaData", "parquet-format-structures-" + PARQUET + ".jar");
        assertJar("org.apache.hadoop.conf.Configuration", "hadoop-client-api-" + HADOOP + ".jar");
        assertJar("org.apache.hadoop.thirdparty.protobuf.AbstractMessage", "hadoop-client-runtime-" + HADOOP + ".jar");
        assertEquals(HADOOP, org.apache.hadoop.util.VersionInfo.getVersion());
        assertTrue(org.apache.spark.package$.MODULE$.SPARK_VERSION().startsWith("4.2."),
                org.apache.spark.package$.MODULE$.SPARK_VERSION());
    }

    @Test
    void exactlyOneSlf4jProvider() {
        List<String> providers = new ArrayList<>();
        ServiceLoader.load(SLF4JServiceProvider.class).forEach(p -> providers.add(p.getClass().getName()));
        assertEquals(List.of("org.slf4j.simple.SimpleServiceProvider"), providers);
        assertEquals("org.slf4j.simple.SimpleLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
    }

    private static void assertJar(String className, String jar) throws Exception {
        String resource = className.replace('.', '/') + ".class";
        List<String> where = new ArrayList<>();
        Collections.list(ClasspathTest.class.getClassLoader().getResources(resource)).forEach(u -> where.add(
                u.toString()));
        assertEquals(1, where.size(), className + " found in " + where);
        assertTrue(where.get(0).contains("/" + jar + "!"), className + " from " + where.get(0) + ", expected " + jar);
    }
}
