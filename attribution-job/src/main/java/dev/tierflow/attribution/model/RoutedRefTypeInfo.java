package dev.tierflow.attribution.model;

/** Flink's type information of {@link RoutedRef}: serialized by {@link RoutedRefSerializer}. */
public final class RoutedRefTypeInfo extends SerializerTypeInfo<RoutedRef> {

    private static final long serialVersionUID = 1L;

    /** Named by the {@code @TypeInfo} annotation on {@link RoutedRef}. */
    public static final class Factory extends SerializerTypeInfo.Factory<RoutedRef> {
        public Factory() {
            super(RoutedRefTypeInfo::new);
        }
    }

    public RoutedRefTypeInfo() {
        super(RoutedRef.class, RoutedRefSerializer.INSTANCE);
    }
}
