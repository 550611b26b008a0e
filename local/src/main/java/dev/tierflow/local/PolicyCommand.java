package dev.tierflow.local;

import dev.tierflow.router.app.PolicySummary;
import dev.tierflow.policy.PolicyLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tierflow policy validate FILE}: checks a policy file without starting anything. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Work with policy files.",
        subcommands = PolicyCommand.Validate.class)
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
}
