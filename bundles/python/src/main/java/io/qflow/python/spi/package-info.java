/**
 * Backend SPI of the Python adapter: what a backend (the built-in {@code process} backend, the
 * {@code docker} backend of {@code io.qflow.python.docker}) provides so the adapter can run Python
 * workers in it. A backend only materialises environments and starts worker processes that speak
 * the framed protocol of {@code bundles/python/PROTOCOL.md}; pooling, framing, timeouts and value
 * encoding stay in the adapter.
 */
@Export
@Version("1.0.0")
package io.qflow.python.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
