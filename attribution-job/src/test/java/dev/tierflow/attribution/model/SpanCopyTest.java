package dev.tierflow.attribution.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.ResultSpan;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The join keeps a waiting span as a shallow copy ({@link JoinInput#copy()}); that is only safe while no
 * field of a span can change in place.
 */
class SpanCopyTest {

    private static final Set<Schema.Type> IMMUTABLE = EnumSet.of(Schema.Type.STRING, Schema.Type.INT, Schema.Type.LONG,
            Schema.Type.DOUBLE, Schema.Type.FLOAT, Schema.Type.BOOLEAN, Schema.Type.ENUM, Schema.Type.NULL);

    @Test
    void theCopyHasEveryFieldOfTheSpanInANewObject() {
        ResultSpan original = JoinInputs.fullSpan();

        ResultSpan copy = JoinInput.span(original).copy().span;

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
