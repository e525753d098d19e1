/** The PostgreSQL LISTEN/NOTIFY trigger; nothing here is exported. */
package io.qflow.trigger.postgres.internal;
