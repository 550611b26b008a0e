package dev.tierflow.alerting.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tierflow.schemas.Alert;

/**
 * An alert as the one line of an incoming-webhook message, and the Slack-compatible JSON body
 * {@code {"text": "..."}} that Slack, Mattermost and Teams incoming webhooks accept.
 */
public final class AlertText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertText() {
    }

    /**
     * {@code [FIRING] COST_CEILING role=worker: <message> (action: <actionTaken>)}, on one line; the
     * action part only when the alert says what was done.
     */
    public static String line(Alert alert) {
        StringBuilder line = new StringBuilder()
                .append('[').append(alert.getState()).append("] ")
                .append(alert.getKind()).append(' ')
                .append(oneLine(alert.getScope())).append(": ")
                .append(oneLine(alert.getMessage()));
        String action = oneLine(alert.getActionTaken());
        if (!action.isEmpty()) {
            line.append(" (action: ").append(action).append(')');
        }
        return line.toString();
    }

    /**
     * The JSON body. Slack reads {@code &}, {@code <} and {@code >} in {@code text} as markup, so they
     * are escaped as its documentation asks ({@code &amp;}, {@code &lt;}, {@code &gt;}).
     */
    public static String body(Alert alert) {
        ObjectNode body = JSON.createObjectNode();
        body.put("text", slackEscape(line(alert)));
        return body.toString();
    }

    static String slackEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String oneLine(CharSequence text) {
        return text == null ? "" : text.toString().strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
