package dev.tierflow.policy.live;

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
    void aValueThatWouldReadAsAnotherScopeIsRefused() {
        assertThatThrownBy(() -> Scope.parse("role=worker*")).hasMessage(
                "scope role 'worker*' must not contain '*' (it would read as another scope), at index 6");
        assertThatThrownBy(() -> Scope.parse("tenant=ac\u0000me")).hasMessageStartingWith(
                "scope tenant 'ac\u0000me' must not contain control characters");
        assertThatThrownBy(() -> Scope.parse("role=a=b")).hasMessageStartingWith("scope role 'a=b' must not contain '='");
    }

    @Test
    void aScopeHasOneKey() {
        assertThat(Scope.ofKey("role=worker/type=extract")).isEqualTo(new Scope(null, "worker", "extract"));
        assertThat(Scope.ofKey("tenant=acme")).isEqualTo(new Scope("acme", null, null));
        for (String other : new String[] {"type=extract/role=worker", "role=worker ", " role=worker", "role=worker\u0000", "role=a*",
                "garbage", ""}) {
            assertThat(Scope.ofKey(other)).as("'%s'", other).isNull();
        }
    }
}
