/**
 * Storage SPI: what a store bundle provides so the engine can persist workflows and executions.
 * The JDBC store ({@code io.qflow.store}) implements it on H2 and PostgreSQL.
 */
@Export
@Version("1.6.0")
package io.qflow.engine.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
