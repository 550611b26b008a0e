package dev.tierflow.alerting.webhook;

import static dev.tierflow.config.CommonOptions.putIfSet;

import dev.tierflow.config.CommonOptions;
import dev.tierflow.config.EnvironmentConfig;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Posts the {@code alerts} topic to an incoming webhook until SIGTERM. */
@Command(name = "tierflow-alert-webhook", mixinStandardHelpOptions = true,
        description = {"Posts each alert on the 'alerts' topic to an incoming webhook (Slack, Mattermost, Teams...) as",
                "{\"text\": \"[FIRING] COST_CEILING role=worker: ...\"}. At least once: offsets are committed after delivery,",
                "so a restart may post the last alert again. Runs until SIGTERM."},
        footer = {"", "Configuration layers: defaults < --config file < environment (KAFKA_*, APICURIO_REGISTRY_*,",
                "TIERFLOW_*, e.g. TIERFLOW_WEBHOOK_URL) < flags. Any Kafka client or security property can be given with -D."})
public final class AlertWebhookCommand implements Callable<Integer> {

    @Option(names = "--url", description = "Incoming-webhook URL (tierflow.webhook.url, TIERFLOW_WEBHOOK_URL); it is a secret, logs show only its host.")
    String url;

    @Option(names = "--skip-info", description = "Do not post INFO notices, only FIRING and RESOLVED (tierflow.webhook.skip-info).")
    boolean skipInfo;

    @Option(names = "--max-attempts", description = "Attempts per alert before it is logged at ERROR and skipped (tierflow.webhook.max-attempts, default 5).")
    Integer maxAttempts;

    @Option(names = "--group-id", description = "Consumer group (tierflow.webhook.group.id, default tierflow-alert-webhook).")
    String groupId;

    @Mixin
    CommonOptions common = new CommonOptions();

    private final Map<String, String> environment;

    public AlertWebhookCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AlertWebhookCommand(System.getenv())).execute(args));
    }

    Properties configuration() {
        Properties flags = common.flags();
        putIfSet(flags, WebhookSettings.URL, url);
        putIfSet(flags, WebhookSettings.MAX_ATTEMPTS, maxAttempts);
        putIfSet(flags, WebhookSettings.GROUP_ID, groupId);
        if (skipInfo) {
            flags.setProperty(WebhookSettings.SKIP_INFO, "true");
        }
        return EnvironmentConfig.layered(WebhookSettings.defaults(), common.configFile(), environment, flags);
    }

    WebhookSettings settings() {
        return WebhookSettings.from(configuration());
    }

    @Override
    public Integer call() {
        WebhookSettings settings = settings();
        AlertWebhookForwarder forwarder = new AlertWebhookForwarder(settings);
        // SIGTERM: finish or abandon the alert in hand, commit what was delivered, leave the group
        Runtime.getRuntime().addShutdownHook(new Thread(forwarder::close, "tierflow-alert-webhook-shutdown"));
        forwarder.run();
        return 0;
    }
}
