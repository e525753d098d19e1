/**
 * The built-in node types, one Declarative Services component each. Nothing here is exported:
 * the engine finds the nodes as {@link io.qflow.sdk.NodeType} services.
 */
package io.qflow.node.core.internal;
