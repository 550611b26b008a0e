package dev.tierflow.local;

import dev.tierflow.alerting.app.AlertingJobMain;
import dev.tierflow.alerting.webhook.AlertWebhookCommand;
import dev.tierflow.attribution.app.AttributionJobMain;
import dev.tierflow.router.app.RouterCommand;
import dev.tierflow.worker.app.WorkerCommand;
import dev.tierflow.policy.InvalidPolicyException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tierflow}: the embedded stack and tools around it. */
@Command(name = "tierflow", mixinStandardHelpOptions = true,
        description = "TierFlow: route LLM agent tasks by criticality, on Kafka.",
        subcommands = {UpCommand.class, DemoCommand.class, ReplayCommand.class, ProduceCommand.class, StatusCommand.class,
                PolicyCommand.class, SchemasCommand.class})
public final class TierflowCommand {

    public static void main(String[] args) {
        System.exit(commandLine(System.out).execute(args));
    }

    /** The command line, writing its results to {@code out}. */
    static CommandLine commandLine(PrintStream out) {
        return commandLine(out, System.in, Clock.systemUTC());
    }

    /** The command line, reading {@code produce -} from {@code in} and telling time by {@code clock}. */
    static CommandLine commandLine(PrintStream out, InputStream in, Clock clock) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == UpCommand.class) {
                    return type.cast(new UpCommand(out));
                }
                if (type == DemoCommand.class) {
                    return type.cast(new DemoCommand(out));
                }
                if (type == ReplayCommand.class) {
                    return type.cast(new ReplayCommand(out));
                }
                if (type == PolicyCommand.Validate.class) {
                    return type.cast(new PolicyCommand.Validate(out));
                }
                if (type == PolicyCommand.Show.class) {
                    return type.cast(new PolicyCommand.Show(out, clock));
                }
                if (type == PolicyCommand.Diff.class) {
                    return type.cast(new PolicyCommand.Diff(out));
                }
                if (type == ProduceCommand.class) {
                    return type.cast(new ProduceCommand(out, in, clock));
                }
                if (type == SchemasCommand.Register.class) {
                    return type.cast(new SchemasCommand.Register(out));
                }
                if (type == StatusCommand.class) {
                    return type.cast(new StatusCommand(out));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        return new CommandLine(new TierflowCommand(), factory)
                .addSubcommand("router", new RouterCommand(System.getenv()))
                .addSubcommand("worker", new WorkerCommand(System.getenv()))
                .addSubcommand("attribution", new AttributionJobMain(System.getenv()))
                .addSubcommand("alerting", new AlertingJobMain(System.getenv()))
                .addSubcommand("alert-webhook", new AlertWebhookCommand(System.getenv()))
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    // A bad policy or a busy port is the user's to fix: say what, without a stack trace.
                    commandLine.getErr().println(e instanceof InvalidPolicyException ? e.getMessage() : "error: " + e);
                    return 1;
                });
    }
}
