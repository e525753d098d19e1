/** The schedule trigger; nothing here is exported. */
package io.qflow.trigger.schedule.internal;
