package io.qflow.rest.internal;

import io.qflow.python.PythonService;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Follows the Python adapter's service ({@code io.qflow.python}, optional) for {@link RestServer}.
 * The service is held as an Object and bound through methods that take Object: the class file then
 * names no type of the adapter (the reference's interface is only in the generated component XML),
 * so this component and the REST front start without the adapter's package, and the Python routes
 * answer 503 until it comes.
 */
@Component(service = PythonServiceHolder.class)
public final class PythonServiceHolder {

    private volatile Object python;

    @Reference(service = PythonService.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPython")
    void bindPython(Object service) {
        this.python = service;
    }

    void unbindPython(Object service) {
        if (python == service) {
            python = null;
        }
    }

    /** The adapter's {@code PythonService} now, if any. */
    Optional<Object> current() {
        return Optional.ofNullable(python);
    }
}
