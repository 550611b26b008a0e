package dev.tierflow.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Gives tests the shared {@link TierFlowInfra}: as a parameter (of a constructor, test or lifecycle
 * method) or in fields of that type, static or not. The first test class that asks starts it; it lives
 * in the root context's store, so every later class reuses it and JUnit closes it when the run ends.
 *
 * <pre>{@code
 * @ExtendWith(TierFlowInfraExtension.class)
 * class RouterIT {
 *     TierFlowInfra infra;
 *     ...
 * }
 * }</pre>
 */
public final class TierFlowInfraExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(TierFlowInfraExtension.class);

    /** The shared infrastructure, started on first use; thread-safe for parallel test classes. */
    public static TierFlowInfra infra(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(TierFlowInfra.class, key -> TierFlowInfra.start(), TierFlowInfra.class);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        inject(context.getRequiredTestClass(), null, context, true);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        inject(testInstance.getClass(), testInstance, context, false);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TierFlowInfra.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return infra(extensionContext);
    }

    private static void inject(Class<?> type, Object instance, ExtensionContext context, boolean statics)
            throws IllegalAccessException {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getType() == TierFlowInfra.class && Modifier.isStatic(field.getModifiers()) == statics
                        && !Modifier.isFinal(field.getModifiers())) {
                    field.setAccessible(true);
                    field.set(instance, infra(context));
                }
            }
        }
    }
}
