package dev.tierflow.router.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void partsInAnyOrderGiveOneCanonicalScope() {
        assertThat(Scope.parse("type=extract/role=worker")).isEqualTo(Scope.parse("role=worker/type=extract"));
        assertThat(Scope.parse("type=extract/tenant=acme/role=worker")).hasToString("tenant=acme/role=worker/type=extract");
    }

    @Test
    void malformedScopesSayWhatIsWrong() {
        assertThatThrownBy(() -> Scope.parse("")).hasMessage("scope is empty");
        assertThatThrownBy(() -> Scope.parse("role")).hasMessage("scope part 'role' is not key=value");
        assertThatThrownBy(() -> Scope.parse("role=")).hasMessage("scope part 'role=' is not key=value");
        assertThatThrownBy(() -> Scope.parse("tier=small")).hasMessage("scope key 'tier' is not one of tenant, role, type");
        assertThatThrownBy(() -> Scope.parse("role=a/role=b")).hasMessage("scope names 'role' twice");
    }

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
