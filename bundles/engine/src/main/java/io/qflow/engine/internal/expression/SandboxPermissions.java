package io.qflow.engine.internal.expression;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Set;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * JEXL's RESTRICTED permissions, tightened: no method that hands out a {@link Class} or a class
 * loader (the usual first step of a sandbox escape), no {@link Object} monitor methods, and nothing
 * from {@code java.lang.reflect}, {@code java.lang.invoke} or the thread API, whatever RESTRICTED
 * allows in a given JEXL version.
 */
final class SandboxPermissions implements JexlPermissions {

    private static final Set<String> BLOCKED_METHODS = Set.of("getClass", "wait", "notify", "notifyAll", "getClassLoader",
            "getModule", "forName", "getDeclaredMethod", "getMethod", "getDeclaredField", "getField", "newInstance");
    private final JexlPermissions base = JexlPermissions.RESTRICTED;

    @Override
    public boolean allow(Class<?> type) {
        return !isDangerous(type) && base.allow(type);
    }

    @Override
    public boolean allow(Constructor<?> constructor) {
        return false; // expressions build values with literals, never with constructors
    }

    @Override
    public boolean allow(Field field) {
        return !isDangerous(field.getDeclaringClass()) && base.allow(field);
    }

    @Override
    public boolean allow(Method method) {
        return !BLOCKED_METHODS.contains(method.getName())
                && !Class.class.isAssignableFrom(method.getReturnType())
                && !ClassLoader.class.isAssignableFrom(method.getReturnType())
                && !isDangerous(method.getDeclaringClass())
                && base.allow(method);
    }

    @Override
    public boolean allow(Package pack) {
        return base.allow(pack);
    }

    @Override
    public JexlPermissions compose(String... src) {
        throw new UnsupportedOperationException("the expression sandbox is fixed");
    }

    private static boolean isDangerous(Class<?> type) {
        String name = type.getName();
        return type == Class.class || ClassLoader.class.isAssignableFrom(type) || Thread.class.isAssignableFrom(type)
                || name.startsWith("java.lang.reflect.") || name.startsWith("java.lang.invoke.")
                || name.equals("java.lang.System") || name.equals("java.lang.Runtime") || name.equals("java.lang.ProcessBuilder");
    }
}
