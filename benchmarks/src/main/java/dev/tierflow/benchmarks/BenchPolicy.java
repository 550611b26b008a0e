package dev.tierflow.benchmarks;

import dev.tierflow.policy.live.LiveOverride;
import dev.tierflow.router.decision.LiveOverrides;
import dev.tierflow.policy.live.OverrideValidator;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.schemas.PolicyRule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The policy the benchmarks route with: {@code examples/policy.yaml}, copied onto the classpath by the
 * build (tiers small/mid/frontier, four static roles, a classifier, one compliance pin).
 */
public final class BenchPolicy {

    static final String RESOURCE = "policy.yaml";

    private BenchPolicy() {
    }

    /** The policy YAML text. */
    public static String yaml() {
        try (InputStream in = BenchPolicy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("policy.yaml is not on the classpath next to " + BenchPolicy.class.getName()
                        + " (the build copies examples/policy.yaml there)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parsed and validated policy. */
    public static RoutingPolicy load() {
        return PolicyLoader.parse(yaml(), "classpath:" + RESOURCE);
    }

    /** Writes the policy to a file, for a router that takes a path. */
    public static Path writeTo(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, yaml());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the policy to " + file, e);
        }
    }

    /** The live overrides as the router would hold them after reading {@code rules} from the policy topic. */
    public static LiveOverrides overrides(RoutingPolicy policy, List<PolicyRule> rules) {
        OverrideValidator validator = new OverrideValidator(policy, WorkerBenchTasks.prices());
        List<LiveOverride> valid = rules.stream().map(rule -> validator.validate(rule.getScope(), rule)).toList();
        return LiveOverrides.of(valid);
    }
}
