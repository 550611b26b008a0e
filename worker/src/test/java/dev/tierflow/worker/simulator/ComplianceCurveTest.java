package dev.tierflow.worker.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tierflow.worker.simulator.ComplianceCurve.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComplianceCurveTest {

    private final ComplianceCurve curve = new ComplianceCurve(List.of(new Point(0.2, 0.1), new Point(0.6, 0.5), new Point(0.8, 0.9)));

    @Test
    void isLinearBetweenPoints() {
        assertThat(curve.probability(0.4)).isCloseTo(0.3, within(1e-12));
        assertThat(curve.probability(0.7)).isCloseTo(0.7, within(1e-12));
        assertThat(curve.probability(0.6)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void isFlatBeyondTheEnds() {
        assertThat(curve.probability(0.0)).isEqualTo(0.1);
        assertThat(curve.probability(1.0)).isEqualTo(0.9);
    }

    @Test
    void aConstantCurveIgnoresQuality() {
        assertThat(ComplianceCurve.constant(1.0).probability(0.0)).isEqualTo(1.0);
        assertThat(ComplianceCurve.constant(0.0).probability(1.0)).isEqualTo(0.0);
    }

    @Test
    void refusesQualitiesOutOfOrder() {
        assertThatThrownBy(() -> new ComplianceCurve(List.of(new Point(0.5, 0.1), new Point(0.5, 0.2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly ascending");
    }
}
