/**
 * The engine's services, used by the REST front, triggers and tools: {@link io.qflow.engine.WorkflowService},
 * {@link io.qflow.engine.ExecutionService}, {@link io.qflow.engine.NodeCatalog},
 * {@link io.qflow.engine.PluginInventory}, {@link io.qflow.engine.CredentialService}, and the records they return. In OSGi each is a service;
 * outside OSGi (tests, the SDK test kit, benchmarks) {@link io.qflow.engine.Engine#builder()} wires them.
 */
@Export
@Version("1.6.0")
package io.qflow.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
