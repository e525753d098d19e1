/**
 * The JUnit 5 test kit for node plugins. {@link io.qflow.sdk.testkit.NodeHarness} runs one
 * {@link io.qflow.sdk.NodeType} in a plain unit test (no OSGi): it resolves {@code {{ }}}
 * expressions in the config as the engine does, feeds inputs, and captures outputs, logs, progress
 * and the failure in a {@link io.qflow.sdk.testkit.NodeOutcome}.
 * {@link io.qflow.sdk.testkit.WorkflowHarness} runs a whole workflow document on an in-memory engine.
 *
 * <pre>{@code
 * NodeHarness.of(new MyNode())
 *     .config("{\"greeting\": \"Hello {{ in.name }}\"}")
 *     .input("in", "{\"name\": \"Ada\"}")
 *     .run()
 *     .assertEmits("out", "\"Hello Ada\"");
 * }</pre>
 */
@Export
@Version("1.2.0")
package io.qflow.sdk.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
