package io.qflow.python.internal;

import io.qflow.engine.spi.MetricsSource;
import io.qflow.python.PythonService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code qflow_python_workers{pool="backend/environment"}} for {@code GET /metrics}: live workers per pool. */
@Component(service = MetricsSource.class)
public final class PythonWorkerMetrics implements MetricsSource {

    private final PythonService python;

    @Activate
    public PythonWorkerMetrics(@Reference PythonService python) {
        this.python = python;
    }

    @Override
    public List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        for (Map.Entry<String, Integer> pool : python.workerPools().entrySet()) {
            samples.add(Sample.gauge("qflow_python_workers", "Live Python worker processes by pool (backend/environment)",
                    Map.of("pool", pool.getKey()), pool.getValue()));
        }
        return samples;
    }
}
