package dev.tierflow.local;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A multi-agent system's traffic, one workflow run at a time: a planner plans, several workers extract
 * and summarize, a critic reviews, and file operations and formatting finish the run. Frequencies and
 * sizes follow what agent frameworks emit: many small worker and file steps per run, one large planning
 * and one review step. Seeded, so the same seed sends the same tasks.
 */
public final class MultiAgentLoad implements AutoCloseable {

    /** One step of a run: who does it, what kind of task, and how much input it reads. */
    record Step(String role, String taskType, int inputTokens) {
    }

    private static final String[] TENANTS = {"acme", "acme", "acme", "acme", "acme", "acme", "globex", "globex", "globex", "initech"};

    private final Producer<String, AgentTask> producer;
    private final Random random;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tierflow-load");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong tasks = new AtomicLong();

    public MultiAgentLoad(Producer<String, AgentTask> producer, long seed, Clock clock) {
        this.producer = producer;
        this.random = new Random(seed);
        this.clock = clock;
    }

    /** Starts sending {@code runsPerSecond} workflow runs a second until closed. */
    public void start(double runsPerSecond) {
        long periodMicros = Math.max(1, Math.round(1_000_000 / runsPerSecond));
        scheduler.scheduleAtFixedRate(this::sendOneRun, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** The steps of one workflow run, drawn from the seeded generator. */
    List<Step> nextRun() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("planner", "plan", between(2_500, 4_000)));
        int workers = between(4, 10);
        for (int i = 0; i < workers; i++) {
            steps.add(random.nextDouble() < 0.6
                    ? new Step("worker", "extract", between(400, 1_500))
                    : new Step("worker", "summarize", between(1_500, 4_000)));
        }
        steps.add(new Step("critic", "review", between(1_500, 3_000)));
        int fileOps = between(1, 3);
        for (int i = 0; i < fileOps; i++) {
            steps.add(new Step("file-ops", "move-file", between(30, 60)));
        }
        steps.add(new Step("reviewer", "format", between(200, 400)));
        return steps;
    }

    private void sendOneRun() {
        String runId = "run-" + runs.incrementAndGet();
        String tenant = TENANTS[random.nextInt(TENANTS.length)];
        int index = 0;
        for (Step step : nextRun()) {
            String taskId = runId + "-" + (index++) + "-" + step.taskType();
            AgentTask task = AgentTask.newBuilder()
                    .setTaskId(taskId).setRunId(runId).setTenant(tenant).setRole(step.role()).setTaskType(step.taskType())
                    .setInputRef("demo://" + taskId).setInputTokens(step.inputTokens())
                    .setAttempt(0).setCreatedAt(clock.instant()).setAttributes(Map.of())
                    .build();
            producer.send(new ProducerRecord<>(Topics.TASKS.name(), taskId, task));
            tasks.incrementAndGet();
        }
    }

    private int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    public long runsSent() {
        return runs.get();
    }

    public long tasksSent() {
        return tasks.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        // sends what is buffered; closing twice is harmless
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
