package dev.tierflow.attribution.join;

import static dev.tierflow.testing.ResultSpanBuilder.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.ResultSpan;
import dev.tierflow.schemas.SpanStatus;
import dev.tierflow.testing.TestInstants;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The join keeps a waiting span as a shallow copy; that is only safe while no field of a span can change in place. */
class SpanCopyTest {

    private static final Set<Schema.Type> IMMUTABLE = EnumSet.of(Schema.Type.STRING, Schema.Type.INT, Schema.Type.LONG,
            Schema.Type.DOUBLE, Schema.Type.FLOAT, Schema.Type.BOOLEAN, Schema.Type.ENUM, Schema.Type.NULL);

    @Test
    void theCopyHasEveryFieldOfTheSpanInANewObject() {
        ResultSpan original = span("t-1").attempt(2).of("worker", "extract", "acme").tier("mid", "m-mid").tokens(120, 40)
                .cachedInputTokens(16).cost(2_345).quality(0.75).checkPassed(false).status(SpanStatus.CHECK_FAILED)
                .escalated(true).latency(Duration.ofMillis(850)).endedAt(TestInstants.BEGINNING.plusSeconds(5)).build();
        original.setFallbackFrom("m-small");
        original.setCheckDetail("missing field 'total'");

        ResultSpan copy = SpanTaskJoin.shallowCopy(original);

        assertThat(copy).isEqualTo(original).isNotSameAs(original);
    }

    @Test
    void everyFieldOfASpanIsImmutableSoAShallowCopyCannotChangeUnderTheJoin() {
        for (Schema.Field field : ResultSpan.getClassSchema().getFields()) {
            Schema schema = field.schema();
            for (Schema branch : schema.getType() == Schema.Type.UNION ? schema.getTypes() : List.of(schema)) {
                assertThat(branch.getType()).as("type of field %s", field.name()).isIn(IMMUTABLE);
            }
        }
    }
}
