package dev.tierflow.local;

import dev.tierflow.local.schemas.CcompatRegistrar;
import dev.tierflow.local.schemas.ContractSubjects;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.Tier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tierflow schemas}: the contract schemas, for clients that are not TierFlow's own. */
@Command(name = "schemas", mixinStandardHelpOptions = true, description = "The Avro contract schemas in a registry.",
        subcommands = SchemasCommand.Register.class)
final class SchemasCommand {

    /**
     * {@code tierflow schemas register}: every contract schema under its Confluent subject, through the
     * registry's ccompat API; what {@code up} and {@code demo} do at start, for your own cluster.
     */
    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register every contract schema under its Confluent subject (<topic>-value) through the registry's "
                    + "ccompat API, for the tiers of a policy file; prints subject -> id. Safe to repeat.")
    static final class Register implements Callable<Integer> {

        @Option(names = "--registry-url", defaultValue = "http://localhost:8080/apis/registry/v3",
                description = "Apicurio Registry URL: its v3 API, its ccompat API (/apis/ccompat/v7) or its address (default: ${DEFAULT-VALUE}).")
        String registryUrl;

        @Option(names = "--policy", defaultValue = "examples/policy.yaml", description = "Policy YAML whose tiers get subjects (default: ${DEFAULT-VALUE}).")
        Path policyFile;

        @Option(names = "--timeout", defaultValue = "PT10S", description = "How long one registry request may take (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        private final PrintStream out;

        Register(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            printIds(out, CcompatRegistrar.ccompatUrl(registryUrl), register(registryUrl, PolicyLoader.load(policyFile), timeout));
            return 0;
        }
    }

    /** Registers every contract subject of the policy's tiers; subject -> id. */
    static Map<String, Long> register(String registryUrl, RoutingPolicy policy, Duration timeout) throws Exception {
        var tiers = policy.tiers().stream().map(Tier::name).toList();
        return new CcompatRegistrar(registryUrl, timeout).registerAll(ContractSubjects.forTiers(tiers));
    }

    /** Subject -> id lines, as {@code schemas register}, {@code up} and {@code demo} print them. */
    static void printIds(PrintStream out, String ccompatUrl, Map<String, Long> ids) {
        out.println("Schemas registered at " + ccompatUrl + " (subject -> id):");
        int width = ids.keySet().stream().mapToInt(String::length).max().orElse(0);
        ids.forEach((subject, id) -> out.printf("  %-" + width + "s -> %d%n", subject, id));
    }
}
