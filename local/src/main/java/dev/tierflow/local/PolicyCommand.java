package dev.tierflow.local;

import dev.tierflow.local.policy.EffectiveRules;
import dev.tierflow.local.policy.PolicyDiff;
import dev.tierflow.local.tools.TextTable;
import dev.tierflow.policy.InvalidPolicyException;
import dev.tierflow.policy.PolicyLoader;
import dev.tierflow.policy.RoutingPolicy;
import dev.tierflow.policy.price.PriceCatalog;
import dev.tierflow.router.app.PolicySummary;
import dev.tierflow.schemas.AvroSerdes;
import dev.tierflow.schemas.PolicyRule;
import dev.tierflow.schemas.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tierflow policy validate|show|diff}: policy files, on their own or with the live overrides of a running stack. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Work with policy files.",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Show.class, PolicyCommand.Diff.class})
final class PolicyCommand {

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Validate a policy file and print what it says.")
    static final class Validate implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The policy YAML.")
        Path file;

        private final PrintStream out;

        Validate(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            out.print(PolicySummary.describe(PolicyLoader.load(file)));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The effective policy: the file's rules and the live overrides of the policy topic, per scope, and which rule wins.")
    static final class Show implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The policy YAML the router runs with.")
        Path file;

        @Option(names = "--prices", defaultValue = "examples/prices.yaml",
                description = "The price catalog the router runs with; it rejects overrides naming a model without a price (default: ${DEFAULT-VALUE}).")
        Path pricesFile;

        @Option(names = "--offline", description = "Show the file's rules only; do not read the policy topic.")
        boolean offline;

        @Option(names = "--timeout", defaultValue = "PT30S", description = "How long reading the policy topic may take (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Mixin
        ClusterOptions cluster = new ClusterOptions();

        private final PrintStream out;
        private final Clock clock;

        Show(PrintStream out, Clock clock) {
            this.out = out;
            this.clock = clock;
        }

        @Override
        public Integer call() {
            RoutingPolicy policy = PolicyLoader.load(file);
            Map<String, PolicyRule> live = offline ? Map.of() : liveRules();
            out.println("Policy " + policy.version() + " from " + file + (offline ? " (offline: live overrides not read)"
                    : " with " + live.size() + " live override(s) from '" + Topics.POLICY.name() + "' at " + cluster.bootstrapServers));
            out.println("Each scope's task: no hint attribute, 0 input tokens, first attempt; WINS marks the rule the router applies.");
            for (EffectiveRules.ScopeRules scope : EffectiveRules.of(policy, PriceCatalog.load(pricesFile), live, clock.instant())) {
                out.println();
                out.println("Scope " + scope.scope());
                TextTable table = new TextTable("RULE", "DETAIL", "SOURCE", "TIER", "MODEL", "VERSION", "EXPIRES", "CAUSED BY", "REASON", "IN FORCE");
                scope.rows().forEach(row -> table.row(row.rule(), row.detail(), row.source(), row.tier(), row.model(), row.version(),
                        row.expires(), row.causedBy(), row.reason(), row.status()));
                table.lines("  ").forEach(out::println);
            }
            return 0;
        }

        private Map<String, PolicyRule> liveRules() {
            LatestRecords latest = new LatestRecords();
            TopicRecords records = new TopicRecords(AvroSerdes.forRegistry(cluster.registryUrl), latest);
            TopicsToEnd.read(cluster.bootstrapServers, List.of(Topics.POLICY.name()), timeout, records::dispatch);
            return latest.policyByScope();
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "What changed between two policy files, by section. Exit 0: no differences, 1: they differ, 2: a file is invalid.")
    static final class Diff implements Callable<Integer> {

        static final int SAME = 0;
        static final int DIFFERENT = 1;
        static final int INVALID = 2;

        @Parameters(index = "0", paramLabel = "OLD", description = "The policy YAML before.")
        Path oldFile;

        @Parameters(index = "1", paramLabel = "NEW", description = "The policy YAML after.")
        Path newFile;

        @Spec
        CommandSpec spec;

        private final PrintStream out;

        Diff(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            RoutingPolicy before;
            RoutingPolicy after;
            try {
                before = PolicyLoader.load(oldFile);
                after = PolicyLoader.load(newFile);
            } catch (InvalidPolicyException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return INVALID;
            }
            List<PolicyDiff.Section> sections = PolicyDiff.between(before, after);
            if (sections.isEmpty()) {
                out.println("no differences");
                return SAME;
            }
            for (PolicyDiff.Section section : sections) {
                out.println(section.name());
                section.changes().forEach(change -> out.println("  " + change));
            }
            return DIFFERENT;
        }
    }
}
