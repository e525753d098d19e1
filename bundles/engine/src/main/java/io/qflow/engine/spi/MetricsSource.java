package io.qflow.engine.spi;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Extra samples for {@code GET /metrics}: a bundle registers one as an OSGi service (the Python
 * adapter: worker pool sizes), the REST front asks every registered source at each scrape.
 * {@link #samples()} is called on an HTTP thread and must answer at once (no I/O, no waiting).
 *
 * @since 1.3
 */
@ConsumerType
public interface MetricsSource {

    /** The current samples; names follow Prometheus rules ({@code qflow_python_workers}), one type per name. */
    List<Sample> samples();

    /**
     * One sample.
     *
     * @param name   metric name, {@code [a-zA-Z_:][a-zA-Z0-9_:]*}
     * @param help   one line on what it measures
     * @param type   {@code gauge} or {@code counter} (a counter's name ends in {@code _total})
     * @param labels label names and values (may be empty)
     * @param value  the value
     */
    record Sample(String name, String help, String type, Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }

        public static Sample gauge(String name, String help, Map<String, String> labels, double value) {
            return new Sample(name, help, "gauge", labels, value);
        }
    }
}
