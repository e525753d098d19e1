package io.qflow.python.internal;

import io.qflow.sdk.NodeType;

/** Publishes node types at run time (in OSGi: as {@code NodeType} services); closing the handle withdraws one. */
interface NodeTypeRegistrar {
    AutoCloseable register(NodeType type);
}
