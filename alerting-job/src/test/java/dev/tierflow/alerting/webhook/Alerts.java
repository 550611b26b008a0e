package dev.tierflow.alerting.webhook;

import dev.tierflow.schemas.Alert;
import dev.tierflow.schemas.AlertKind;
import dev.tierflow.schemas.AlertState;
import dev.tierflow.testing.TestInstants;

/** Alerts for the webhook tests. */
final class Alerts {

    private Alerts() {
    }

    static Alert alert(String id, AlertKind kind, AlertState state, String scope, String message, String action) {
        return Alert.newBuilder().setAlertId(id).setKind(kind).setState(state).setScope(scope)
                .setObserved(0.71).setThreshold(0.8)
                .setWindowStart(TestInstants.BEGINNING).setWindowEnd(TestInstants.FIVE_MINUTES_LATER)
                .setActionTaken(action).setPolicyVersion(action == null ? null : 3L)
                .setMessage(message).setAt(TestInstants.FIVE_MINUTES_LATER).build();
    }
}
