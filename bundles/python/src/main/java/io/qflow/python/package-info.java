/**
 * The Python adapter's service API: analyse Python code, test a function, save functions as node
 * types, manage interpreters and environments. Implemented by {@code io.qflow.python}; the REST
 * front serves it under {@code /api/v1/python}.
 */
@Export
@Version("1.0.0")
package io.qflow.python;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
