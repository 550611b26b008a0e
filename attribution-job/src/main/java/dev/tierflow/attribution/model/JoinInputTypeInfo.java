package dev.tierflow.attribution.model;

/** Flink's type information of {@link JoinInput}: serialized by {@link JoinInputSerializer}. */
public final class JoinInputTypeInfo extends SerializerTypeInfo<JoinInput> {

    private static final long serialVersionUID = 1L;

    /** Named by the {@code @TypeInfo} annotation on {@link JoinInput}. */
    public static final class Factory extends SerializerTypeInfo.Factory<JoinInput> {
        public Factory() {
            super(JoinInputTypeInfo::new);
        }
    }

    public JoinInputTypeInfo() {
        super(JoinInput.class, JoinInputSerializer.INSTANCE);
    }
}
