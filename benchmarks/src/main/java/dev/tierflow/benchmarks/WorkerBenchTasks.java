package dev.tierflow.benchmarks;

import dev.tierflow.schemas.AgentTask;
import dev.tierflow.schemas.OutputContract;
import dev.tierflow.schemas.RoutedTask;
import dev.tierflow.schemas.RoutingRule;
import dev.tierflow.policy.price.PriceCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The routed tasks the worker benchmarks run: the {@link TaskMix} tasks (same seed, none past maxAttempts) as
 * the router would hand them to the small tier ({@value #TIER}, {@value #MODEL}). TaskMix gives an output
 * contract (required fields + max length) to 25 % of them; every second of those also gets a JSON Schema, so
 * the checks parse JSON and validate a schema as well.
 */
final class WorkerBenchTasks {

    static final String TIER = "small";
    static final String MODEL = "claude-haiku-4-5";
    static final String PROVIDER = "anthropic";
    static final String JSON_SCHEMA = "{\"type\":\"object\",\"required\":[\"answer\",\"confidence\"],\"properties\":"
            + "{\"answer\":{\"type\":\"string\"},\"confidence\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1}}}";
    private static final Instant ROUTED_AT = Instant.parse("2026-11-23T09:00:00Z");

    private final TaskMix mix;
    private long contracts;

    WorkerBenchTasks(long seed) {
        this.mix = new TaskMix(seed, 0.0);
    }

    RoutedTask next() {
        AgentTask task = mix.next();
        OutputContract contract = task.getOutputContract();
        if (contract != null && contracts++ % 2 == 0) {
            task.setOutputContract(OutputContract.newBuilder(contract).setJsonSchema(JSON_SCHEMA).build());
        }
        int budget = task.getRequestedMaxOutputTokens() != null ? Math.min(task.getRequestedMaxOutputTokens(), 1024) : 1024;
        return RoutedTask.newBuilder()
                .setTask(task).setTier(TIER).setModel(MODEL).setProvider(PROVIDER).setMaxOutputTokens(budget)
                .setPolicyVersion("bench").setOverrideVersion(null).setRule(RoutingRule.STATIC_RULE)
                .setRuleDetail("bench: every task to the small tier").setRoutedAt(ROUTED_AT)
                .build();
    }

    /** The example price catalog (examples/prices.yaml, copied onto the classpath by the build). */
    static PriceCatalog prices() {
        try (InputStream in = WorkerBenchTasks.class.getResourceAsStream("prices.yaml")) {
            if (in == null) {
                throw new IllegalStateException("prices.yaml is not on the classpath (dev/tierflow/benchmarks/prices.yaml)");
            }
            return PriceCatalog.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "examples/prices.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
