/** The webhook trigger and the respond-to-webhook node; nothing here is exported. */
package io.qflow.trigger.webhook.internal;
