package dev.tierflow.policy;

import java.util.Map;

/**
 * A compliance pin: tasks matching every given condition always go to this tier and model, whatever
 * any other rule or live override says. Null conditions match anything.
 */
public record Pin(String name, String tenant, String role, String taskType, Map<String, String> attributes,
                  Tier tier, String model, String provider, Integer maxOutputTokens) {

    /** What a routed task records as the rule that decided: {@code pin <name>}. */
    public String ruleDetail() {
        return "pin " + name;
    }

    public boolean matches(String taskTenant, String taskRole, String taskTaskType, Map<String, String> taskAttributes) {
        if (tenant != null && !tenant.equals(taskTenant)) {
            return false;
        }
        if (role != null && !role.equals(taskRole)) {
            return false;
        }
        if (taskType != null && !taskType.equals(taskTaskType)) {
            return false;
        }
        for (Map.Entry<String, String> wanted : attributes.entrySet()) {
            if (!wanted.getValue().equals(taskAttributes.get(wanted.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
