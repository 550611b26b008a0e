package dev.tierflow.benchmarks;

import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.worker.backend.ModelBackend;
import dev.tierflow.worker.backend.ModelRequest;
import dev.tierflow.worker.backend.ModelResponse;
import dev.tierflow.worker.check.OutputChecker;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.worker.runtime.AttemptOutcome;
import dev.tierflow.worker.runtime.AttemptRunner;
import dev.tierflow.worker.simulator.SimulatedModelBackend;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
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
 * What the worker runtime adds around one backend call: {@link AttemptRunner#run} (request building, pricing
 * with the example catalog, the output check incl. required fields and JSON Schema contracts, span building,
 * the escalated task when a check fails), no Kafka. One op is one attempt at one of {@value #TASKS} routed
 * tasks ({@link WorkerBenchTasks}), taken in turn.
 * <ul>
 *   <li>{@code runtimeOnly}: the backend hands back a response precomputed per task (by the simulator, in
 *       setup) at once, so the time measured is the runtime's own work;</li>
 *   <li>{@code withSimulator}: the simulator backend (not waiting), for comparison;</li>
 *   <li>{@code simulatorCallOnly}: the simulator's call alone, without the runtime.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
// The check path (Jackson, the JSON Schema validator) takes ~20 s of warm-up to reach steady state; 3 iterations were not enough.
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
public class AttemptRunnerBenchmark {

    static final int TASKS = 1024;
    static final long SEED = 20261123L;

    private RoutedTask[] tasks;
    private ModelRequest[] requests;
    private ModelResponse[] responses;
    private ModelResponse next;
    private AttemptRunner runtimeOnly;
    private AttemptRunner withSimulator;
    private SimulatedModelBackend simulator;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        PriceCatalog prices = WorkerBenchTasks.prices();
        simulator = SimulatedModelBackend.withDefaults(SEED);
        WorkerBenchTasks mix = new WorkerBenchTasks(SEED);
        tasks = new RoutedTask[TASKS];
        requests = new ModelRequest[TASKS];
        responses = new ModelResponse[TASKS];
        ModelBackend fixed = request -> next;
        runtimeOnly = new AttemptRunner(fixed, prices, new OutputChecker(), Clock.systemUTC(), false);
        withSimulator = new AttemptRunner(simulator, prices, new OutputChecker(), Clock.systemUTC(), false);
        Map<String, Integer> statuses = new TreeMap<>();
        int contracts = 0;
        int schemas = 0;
        for (int i = 0; i < TASKS; i++) {
            RoutedTask task = mix.next();
            tasks[i] = task;
            var t = task.getTask();
            requests[i] = new ModelRequest(t.getTaskId(), t.getAttempt(), t.getTenant(), t.getRole(), t.getTaskType(), task.getTier(),
                    task.getProvider(), task.getModel(), t.getInputText(), t.getInputRef(), t.getInputTokens(), task.getMaxOutputTokens(),
                    t.getOutputContract());
            responses[i] = simulator.call(requests[i]);
            contracts += t.getOutputContract() != null ? 1 : 0;
            schemas += t.getOutputContract() != null && t.getOutputContract().getJsonSchema() != null ? 1 : 0;
            next = responses[i];
            AttemptOutcome fromFixed = runtimeOnly.run(task);
            AttemptOutcome fromSimulator = withSimulator.run(task);
            // Both runners must reach the same outcome (status, cost, escalation) for the same task.
            if (fromFixed.span().getStatus() != fromSimulator.span().getStatus()
                    || fromFixed.span().getCostMicros() != fromSimulator.span().getCostMicros()
                    || (fromFixed.escalation() == null) != (fromSimulator.escalation() == null)) {
                throw new IllegalStateException("precomputed and simulated outcomes differ for task " + i);
            }
            statuses.merge(fromFixed.span().getStatus().name(), 1, Integer::sum);
        }
        System.out.println("\n[AttemptRunnerBenchmark] " + TASKS + " routed tasks (" + contracts + " with an output contract, "
                + schemas + " of them with a JSON Schema), span statuses: " + statuses);
    }

    @Benchmark
    public AttemptOutcome runtimeOnly() {
        int i = cursor++ & (TASKS - 1);
        next = responses[i];
        return runtimeOnly.run(tasks[i]);
    }

    @Benchmark
    public AttemptOutcome withSimulator() {
        return withSimulator.run(tasks[cursor++ & (TASKS - 1)]);
    }

    @Benchmark
    public ModelResponse simulatorCallOnly() throws Exception {
        return simulator.call(requests[cursor++ & (TASKS - 1)]);
    }
}
