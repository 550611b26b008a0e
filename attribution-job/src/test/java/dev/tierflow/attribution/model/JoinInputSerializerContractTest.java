package dev.tierflow.attribution.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tierflow.schemas.ResultSpan;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/** Flink's own checks of a serializer: copies, reuse, sequences, snapshots, duplication. */
class JoinInputSerializerContractTest extends SerializerTestBase<JoinInput> {

    JoinInputSerializerContractTest() {
        super(new DeeplyEqualsChecker().withCustomCheck(
                (one, other) -> one instanceof JoinInput && other instanceof JoinInput,
                (one, other, checker) -> sameFields(one, other)));
    }

    /** JoinInput has no equals of its own (nor needs one): compared field by field. */
    private static boolean sameFields(Object one, Object other) {
        try {
            assertThat(one).usingRecursiveComparison().isEqualTo(other);
            return true;
        } catch (AssertionError different) {
            return false;
        }
    }

    @Override
    protected TypeSerializer<JoinInput> createSerializer() {
        return JoinInputSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<JoinInput> getTypeClass() {
        return JoinInput.class;
    }

    @Override
    protected JoinInput[] getTestData() {
        RoutedRef stuck = JoinInputs.routed();
        stuck.stuckReported = true;
        stuck.model = null;
        ResultSpan sparse = JoinInputs.fullSpan();
        sparse.setQuality(null);
        sparse.setCheckPassed(null);
        sparse.setCheckDetail(null);
        sparse.setFallbackFrom(null);
        return new JoinInput[] {
                JoinInput.routed(JoinInputs.routed()),
                JoinInput.routed(stuck),
                JoinInput.span(JoinInputs.fullSpan()),
                JoinInput.span(sparse),
                JoinInput.deadLetter(DeadLetter.of("results.small", 1, 42L, new byte[] {1, 2}, new byte[] {3},
                        "UNDECODABLE", "not Avro")),
                JoinInput.deadLetter(DeadLetter.of("routed", 0, 0L, null, null, "MISSING_VALUE", null)),
        };
    }
}
