/**
 * The Qflow launcher: plain Java on the class path that boots Felix with the configured features.
 * Not a bundle and not API; nothing here is exported.
 */
package io.qflow.runtime;
