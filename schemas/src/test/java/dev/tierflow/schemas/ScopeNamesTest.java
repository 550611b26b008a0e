package dev.tierflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"worker", "file-ops", "acme-health", "claude-sonnet-4-5", "Ünïcode tenant", "a.b_c:d", "\uD83D\uDE00 emoji"})
    void namesPeopleUseAreValid(String name) {
        assertThat(ScopeNames.problem(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker/type=extract", "a=b", "*", "worker*", "tab\there", "new\nline", "nul\u0000", "del\u007f",
            "lone \uD83D surrogate"})
    void namesThatWouldReadAsAnotherScopeOrHideCharactersAreNot(String name) {
        assertThat(ScopeNames.problem(name)).isNotNull();
        assertThat(ScopeNames.isValid(name)).isFalse();
    }

    @Test
    void aForgedRoleCannotBecomeAnotherScope() {
        // the attack the rule prevents: a role that formats into role=worker's type scope
        String forged = "worker/type=extract";
        assertThat(StatsScopes.role(forged)).isEqualTo(StatsScopes.roleType("worker", "extract"));
        assertThat(ScopeNames.problem(forged)).contains("'/'");
    }

    @Test
    void overlongNamesAreRefused() {
        assertThat(ScopeNames.problem("x".repeat(ScopeNames.MAX_LENGTH))).isNull();
        assertThat(ScopeNames.problem("x".repeat(ScopeNames.MAX_LENGTH + 1))).contains("longer than");
    }
}
