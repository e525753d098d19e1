/** The file watch trigger; nothing here is exported. */
package io.qflow.trigger.file.internal;
