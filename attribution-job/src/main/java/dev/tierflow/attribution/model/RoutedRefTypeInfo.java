package dev.tierflow.attribution.model;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type information of {@link RoutedRef}: serialized by {@link RoutedRefSerializer}. */
public final class RoutedRefTypeInfo extends TypeInformation<RoutedRef> {

    private static final long serialVersionUID = 1L;

    /** Picked up through the {@code @TypeInfo} annotation on {@link RoutedRef}, wherever Flink meets the type. */
    public static final class Factory extends TypeInfoFactory<RoutedRef> {
        @Override
        public TypeInformation<RoutedRef> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new RoutedRefTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<RoutedRef> getTypeClass() {
        return RoutedRef.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<RoutedRef> createSerializer(SerializerConfig config) {
        return RoutedRefSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "RoutedRef";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof RoutedRefTypeInfo;
    }

    @Override
    public int hashCode() {
        return RoutedRefTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof RoutedRefTypeInfo;
    }
}
