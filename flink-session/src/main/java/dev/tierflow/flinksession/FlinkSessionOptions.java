package dev.tierflow.flinksession;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to size and run the session cluster.
 *
 * @param taskSlots         slots of the one TaskManager
 * @param jobManagerMemory  {@code jobmanager.memory.process.size}, e.g. {@code 768m}
 * @param taskManagerMemory {@code taskmanager.memory.process.size}, e.g. {@code 1280m}
 * @param startupTimeout    how long to wait for the TaskManager to register its slots
 * @param stopOnJvmExit     stop the cluster when this JVM exits: a shutdown hook, and a watchdog in each child
 *                          that also covers this JVM being killed (off for the detached CLI start)
 * @param extraConfig       more Flink options (flat keys), written after and overriding the defaults
 */
public record FlinkSessionOptions(
        int taskSlots,
        String jobManagerMemory,
        String taskManagerMemory,
        Duration startupTimeout,
        boolean stopOnJvmExit,
        Map<String, String> extraConfig) {

    public FlinkSessionOptions {
        if (taskSlots < 1) {
            throw new IllegalArgumentException("taskSlots must be at least 1, was " + taskSlots);
        }
        extraConfig = Map.copyOf(extraConfig);
    }

    /** Small enough for a 2-core laptop or CI runner: 2 slots, 768m JM, 1280m TM (about 2 GB in all). */
    public static FlinkSessionOptions defaults() {
        return new FlinkSessionOptions(2, "768m", "1280m", Duration.ofSeconds(60), true, Map.of());
    }

    public FlinkSessionOptions withTaskSlots(int slots) {
        return new FlinkSessionOptions(slots, jobManagerMemory, taskManagerMemory, startupTimeout, stopOnJvmExit, extraConfig);
    }

    public FlinkSessionOptions withStartupTimeout(Duration timeout) {
        return new FlinkSessionOptions(taskSlots, jobManagerMemory, taskManagerMemory, timeout, stopOnJvmExit, extraConfig);
    }

    public FlinkSessionOptions withStopOnJvmExit(boolean stop) {
        return new FlinkSessionOptions(taskSlots, jobManagerMemory, taskManagerMemory, startupTimeout, stop, extraConfig);
    }

    /** Adds one Flink option, e.g. {@code withConfig("execution.checkpointing.interval", "1 s")}. */
    public FlinkSessionOptions withConfig(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(extraConfig);
        more.put(key, value);
        return new FlinkSessionOptions(taskSlots, jobManagerMemory, taskManagerMemory, startupTimeout, stopOnJvmExit, more);
    }
}
