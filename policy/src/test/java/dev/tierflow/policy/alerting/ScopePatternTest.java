package dev.tierflow.policy.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.policy.alerting.ScopePattern.Shape;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScopePatternTest {

    @Test
    void parsesEveryShapeAndWritesItBackCanonically() {
        assertThat(ScopePattern.parse("role=worker").shape()).isEqualTo(Shape.ROLE);
        assertThat(ScopePattern.parse("role=worker/type=extract").shape()).isEqualTo(Shape.ROLE_TYPE);
        assertThat(ScopePattern.parse("role=*/type=*/tier=small").shape()).isEqualTo(Shape.ROLE_TYPE_TIER);
        assertThat(ScopePattern.parse("tenant=acme").shape()).isEqualTo(Shape.TENANT);
        assertThat(ScopePattern.parse("role=worker/type=*/tier=small")).hasToString("role=worker/type=*/tier=small");
        assertThat(ScopePattern.parse("role=worker/type=*/tier=small").value("tier")).isEqualTo("small");
        assertThat(ScopePattern.parse("role=worker").value("tier")).isNull();
        assertThat(ScopePattern.parse("role=a/type=b")).isEqualTo(ScopePattern.parse("role=a/type=b"));
    }

    @Test
    void matchesExactValuesAndStarsButOnlyItsOwnShape() {
        ScopePattern anyRole = ScopePattern.parse("role=*");
        assertThat(anyRole.matches("role=worker")).isTrue();
        assertThat(anyRole.matches("role=worker/type=extract")).as("a role pattern never judges a role x type window").isFalse();
        assertThat(anyRole.matches("tenant=worker")).isFalse();
        assertThat(anyRole.matches(null)).isFalse();

        ScopePattern smallWorkers = ScopePattern.parse("role=worker/type=*/tier=small");
        assertThat(smallWorkers.matches("role=worker/type=extract/tier=small")).isTrue();
        assertThat(smallWorkers.matches("role=worker/type=extract/tier=mid")).isFalse();
        assertThat(smallWorkers.matches("role=critic/type=extract/tier=small")).isFalse();
        assertThat(smallWorkers.matches("role=worker/type=extract")).isFalse();
        assertThat(smallWorkers.matches("role=worker/tier=extract/type=small")).as("keys in their order").isFalse();

        assertThat(ScopePattern.parse("tenant=acme").matches("tenant=acme")).isTrue();
        assertThat(ScopePattern.parse("tenant=acme").matches("tenant=acme-health")).isFalse();
    }

    @Test
    void theMostSpecificPatternSortsFirst() {
        List<String> sorted = Stream.of("role=*/type=*", "role=*/type=extract", "role=worker/type=*", "role=worker/type=extract")
                .map(ScopePattern::parse).sorted(ScopePattern.MOST_SPECIFIC_FIRST).map(ScopePattern::toString).toList();

        assertThat(sorted).containsExactly("role=worker/type=extract", "role=worker/type=*", "role=*/type=extract", "role=*/type=*");
        assertThat(Stream.of("role=worker/type=*/tier=*", "role=*/type=extract/tier=small").map(ScopePattern::parse)
                .sorted(ScopePattern.MOST_SPECIFIC_FIRST).map(ScopePattern::toString))
                .as("more exact values beat an exact value at an earlier key")
                .containsExactly("role=*/type=extract/tier=small", "role=worker/type=*/tier=*");
    }

    @Test
    void malformedPatternsAreRefusedWithTheReason() {
        assertRefused(null, "is required, e.g. role=worker or role=worker/type=*");
        assertRefused("worker", "'worker' in 'worker' is not key=value");
        assertRefused("team=a", "unknown key 'team' in 'team=a' (keys are role, type, tier, tenant)");
        assertRefused("type=extract/role=worker", "'type=extract/role=worker' has its keys in the wrong order or mixed: write role=R, role=R/type=T, role=R/type=T/tier=X or tenant=N");
        assertRefused("role=a/tenant=b", "'role=a/tenant=b' has its keys in the wrong order or mixed: write role=R, role=R/type=T, role=R/type=T/tier=X or tenant=N");
        assertRefused("role=a/tier=small", "'role=a/tier=small' has its keys in the wrong order or mixed: write role=R, role=R/type=T, role=R/type=T/tier=X or tenant=N");
        assertRefused("role=", "the role in 'role=' is empty (write * for any)");
        assertRefused("role=work*", "the role in 'role=work*' uses * inside a name: * stands for a whole value, not part of one");
        assertRefused("role=a b", "the role in 'role=a b' must not contain spaces or '='");
        assertRefused("role=a/", "'' in 'role=a/' is not key=value");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> ScopePattern.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
