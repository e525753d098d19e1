/**
 * The plugin's node types. Nothing here is exported: Qflow finds the nodes as
 * {@link io.qflow.sdk.NodeType} services.
 */
package ${package}.internal;
