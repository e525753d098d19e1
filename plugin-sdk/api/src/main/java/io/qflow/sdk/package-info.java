/**
 * The Qflow plugin SDK: what a node plugin implements ({@link io.qflow.sdk.NodeType}) and what the
 * platform hands it ({@link io.qflow.sdk.NodeContext}).
 *
 * <p>A plugin is an OSGi bundle that registers {@code NodeType} services (one Declarative Services
 * component per node type). Values travel between nodes as Jackson {@code JsonNode}s.
 * This package follows semantic versioning: a plugin built against 1.x runs on any 1.y, y &ge; x.
 */
@Export
@Version("1.2.0")
package io.qflow.sdk;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
