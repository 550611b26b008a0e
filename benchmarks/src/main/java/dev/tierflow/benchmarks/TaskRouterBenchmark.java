package dev.tierflow.benchmarks;

import dev.tierflow.router.decision.LiveOverrides;
import dev.tierflow.router.decision.RoutingDecision;
import dev.tierflow.router.decision.TaskRouter;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.AgentTask;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The routing decision alone ({@link TaskRouter#decide}), no Kafka: one op is one decision. Tasks are a
 * fixed, seeded mix of {@value #TASKS} pre-built tasks ({@link TaskMix}) routed in turn, with the example
 * policy and four live overrides in force, so pins, escalations, overrides, static rules and the classifier
 * all take their share as they would in production.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TaskRouterBenchmark {

    /** A power of two, so the next task is an AND, not a modulo. */
    static final int TASKS = 1024;
    static final long SEED = 20261123L;

    private AgentTask[] tasks;
    private TaskRouter router;
    private LiveOverrides overrides;
    private long nowMs;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        RoutingPolicy policy = BenchPolicy.load();
        router = new TaskRouter(policy);
        overrides = BenchPolicy.overrides(policy, TaskMix.liveOverrides());
        nowMs = System.currentTimeMillis();
        TaskMix mix = new TaskMix(SEED, 0.0);
        tasks = new AgentTask[TASKS];
        for (int i = 0; i < TASKS; i++) {
            tasks[i] = mix.next();
        }
        // Every task must route (no exceptions on the measured path), and the mix must reach every rule.
        Map<dev.tierflow.schemas.RoutingRule, Integer> byRule = new EnumMap<>(dev.tierflow.schemas.RoutingRule.class);
        for (AgentTask task : tasks) {
            byRule.merge(router.decide(task, overrides, nowMs).rule(), 1, Integer::sum);
        }
        if (byRule.size() < dev.tierflow.schemas.RoutingRule.values().length - 1) {
            throw new IllegalStateException("the task mix misses routing rules: " + byRule);
        }
        System.out.println("\n[TaskRouterBenchmark] " + TASKS + " tasks, " + overrides.size() + " live overrides, decisions by rule: " + byRule);
    }

    @Benchmark
    public RoutingDecision decide() {
        AgentTask task = tasks[cursor++ & (TASKS - 1)];
        return router.decide(task, overrides, nowMs);
    }
}
