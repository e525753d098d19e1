package io.qflow.node.core.internal;

/**
 * Configuration of the file nodes (PID {@value #PID}), shared by Read File and Write File so one
 * {@code conf/io.qflow.node.core.files.cfg} with {@code root=/srv/qflow/files} moves both.
 */
public @interface FileRootConfig {

    String PID = "io.qflow.node.core.files";

    /** The folder the file nodes are confined to; empty means {@code ${qflow.data}/files}. */
    String root() default "";
}
