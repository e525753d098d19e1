/**
 * What other bundles contribute to the REST front without seeing Javalin or Jetty: today the
 * static files of the web editor ({@link io.qflow.rest.spi.WebAssets}).
 */
@Export
@Version("1.0.0")
package io.qflow.rest.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
