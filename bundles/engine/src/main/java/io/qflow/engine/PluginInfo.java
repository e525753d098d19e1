package io.qflow.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An installed bundle as the plugins page shows it.
 *
 * @param id           OSGi bundle id, or -1 for a JAR in the plugins folder that is not an installed
 *                     bundle (not picked up yet, or refused: see {@code error})
 * @param symbolicName Bundle-SymbolicName
 * @param version      Bundle-Version
 * @param name         Bundle-Name, if any
 * @param state        installed, resolved, starting, active, stopping; "not installed" for such a JAR
 * @param location     where it was installed from ({@code file:.../plugins/x.jar} for hot-deployed plugins)
 * @param plugin       true for bundles from the plugins folder (hot deploy) rather than the platform
 * @param nodeTypes    node and trigger type ids it provides
 * @param error        why it did not resolve or a component failed to activate, if so
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PluginInfo(long id, String symbolicName, String version, String name, String state, String location,
                         boolean plugin, List<String> nodeTypes, String error) {
}
