package io.geolightning.spark;

import io.geolightning.foundation.Progress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a job's progress on the driver, one line per finished scene task with the rate and an ETA
 * ({@link Progress}, e.g. {@code "tile: 3/40 scenes (7%), 1.5/min, ETA 24m40s"}). Attach around the
 * Spark action; the job is recognised by a job group set while attached.
 */
final class SceneProgress extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SceneProgress.class);
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final SparkContext sc;
    private final String group;
    private final Progress progress;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();

    private SceneProgress(SparkContext sc, String label, String unit, int total) {
        this.sc = sc;
        this.progress = new Progress(LOG, label, unit, total, 0);
        this.group = "geolightning-" + label + "-" + GROUPS.incrementAndGet();
    }

    /**
     * @param sc the context
     * @param label the job, e.g. "tile"
     * @param total scenes (= tasks)
     * @param description shown in the Spark UI
     * @return the attached listener; close it after the action
     */
    static SceneProgress attach(SparkContext sc, String label, int total, String description) {
        return attach(sc, label, "scenes", total, description);
    }

    /**
     * @param sc the context
     * @param label the job, e.g. "predict"
     * @param unit what a task is, e.g. "blocks"
     * @param total tasks
     * @param description shown in the Spark UI
     * @return the attached listener; close it after the action
     */
    static SceneProgress attach(SparkContext sc, String label, String unit, int total, String description) {
        SceneProgress p = new SceneProgress(sc, label, unit, total);
        sc.setJobGroup(p.group, description, true);
        sc.addSparkListener(p);
        return p;
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        if (start.properties() != null && group.equals(start.properties().getProperty("spark.jobGroup.id"))) {
            scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds()).forEach(id -> stages.add((Integer) id));
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!stages.contains(end.stageId()) || !end.taskInfo().successful()) {
            return;
        }
        progress.step();
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
        sc.clearJobGroup();
    }
}
