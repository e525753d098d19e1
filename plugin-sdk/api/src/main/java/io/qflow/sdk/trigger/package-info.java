/**
 * Triggers: services that start executions of active workflows (webhooks, schedules, file and
 * database events). A trigger appears in a workflow as a node whose type is the trigger's
 * descriptor type; its output ports carry what {@link io.qflow.sdk.trigger.TriggerContext#fire}
 * passes.
 */
@Export
@Version("1.1.0")
package io.qflow.sdk.trigger;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
