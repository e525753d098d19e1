package io.qflow.rest.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The context class loader while Javalin starts and stops inside OSGi: this bundle's loader, whose
 * class path holds the embedded Javalin and Jetty jars (they find parts of themselves through
 * ServiceLoader), plus the loader of the SLF4J provider in use. Without the latter, Javalin's
 * startup check finds no SLF4J provider through the context loader and prints a banner claiming
 * there is no logger, although logging works.
 */
final class StartupClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader logging;

    StartupClassLoader(ClassLoader bundle, ClassLoader logging) {
        super(bundle);
        this.logging = logging;
    }

    /** For this bundle and whichever SLF4J provider {@code LoggerFactory} has bound. */
    static ClassLoader forBundleOf(Class<?> type) {
        ClassLoader bundle = type.getClassLoader();
        ClassLoader logging = org.slf4j.LoggerFactory.getILoggerFactory().getClass().getClassLoader();
        return logging == null || logging == bundle ? bundle : new StartupClassLoader(bundle, logging);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        return logging.loadClass(name);
    }

    @Override
    protected URL findResource(String name) {
        return logging.getResource(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>(Collections.list(logging.getResources(name)));
        return Collections.enumeration(urls);
    }
}
