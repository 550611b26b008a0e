package dev.tierflow.router.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.policy.live.LiveOverride;
import dev.tierflow.policy.live.Scope;
import org.junit.jupiter.api.Test;

class LiveOverridesTest {

    @Test
    void mostSpecificActiveOverrideIsFound() {
        LiveOverride byRole = new LiveOverride(Scope.parse("role=worker"), null, null, 10, 1, null);
        LiveOverride byRoleAndType = new LiveOverride(Scope.parse("role=worker/type=extract"), null, null, 20, 2, 1000L);
        LiveOverrides overrides = LiveOverrides.EMPTY.with(byRole).with(byRoleAndType);

        assertThat(overrides.find("acme", "worker", "extract", 999)).isEqualTo(byRoleAndType);
        assertThat(overrides.find("acme", "worker", "extract", 1000)).as("expired").isEqualTo(byRole);
        assertThat(overrides.find("acme", "planner", "extract", 0)).isNull();
        assertThat(overrides.without(Scope.parse("role=worker")).find("acme", "worker", "plan", 0)).isNull();
    }
}
