package dev.tierflow.alerting.control;

import dev.tierflow.alerting.model.PolicyChange;
import dev.tierflow.schemas.Alert;
import java.util.ArrayList;
import java.util.List;

/** What one evaluation decided: alerts to publish and policy changes to write, in order. */
public final class Decisions {

    private final List<Alert> alerts = new ArrayList<>();
    private final List<PolicyChange> policyChanges = new ArrayList<>();

    void alert(Alert alert) {
        alerts.add(alert);
    }

    void change(PolicyChange change) {
        policyChanges.add(change);
    }

    public List<Alert> alerts() {
        return alerts;
    }

    public List<PolicyChange> policyChanges() {
        return policyChanges;
    }
}
