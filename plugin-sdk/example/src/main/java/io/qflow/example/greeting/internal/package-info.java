/**
 * The example plugin's node types. Nothing here is exported: the engine finds the nodes as
 * {@link io.qflow.sdk.NodeType} services.
 */
package io.qflow.example.greeting.internal;
