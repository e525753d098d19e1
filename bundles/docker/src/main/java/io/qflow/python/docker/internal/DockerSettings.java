package io.qflow.python.docker.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The Docker backend's settings, read from framework properties ({@code qflow.python.docker.*};
 * environment variables {@code QFLOW_PYTHON_DOCKER_*} reach them through the launcher).
 *
 * @param host     the Docker engine, e.g. {@code unix:///run/qflow-docker/docker.sock}
 * @param images   Python version ({@code major.minor}) to the image that provides it as {@code python3}
 * @param poolSize warm containers kept per (image, limits): each already runs a worker, so the first
 *                 Python node of an execution does not wait for a container and an interpreter to start
 * @param user     user (uid:gid) the workers run as inside their containers
 */
public record DockerSettings(String host, Map<String, String> images, int poolSize, String user) {

    public static final String HOST = "qflow.python.docker.host";
    public static final String IMAGES = "qflow.python.docker.images";
    public static final String POOL_SIZE = "qflow.python.docker.pool";
    public static final String USER = "qflow.python.docker.user";

    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    static final String DEFAULT_IMAGES = "3.11=qflow/python:3.11,3.13=qflow/python:3.13";
    static final int DEFAULT_POOL_SIZE = 1;
    /* nobody:nogroup: user code has no reason to be root, even inside its own container. */
    static final String DEFAULT_USER = "65534:65534";

    public DockerSettings {
        images = Map.copyOf(images);
        if (poolSize < 0) {
            throw new IllegalArgumentException(POOL_SIZE + " must be 0 or more, was " + poolSize);
        }
    }

    /** Reads the settings from properties such as {@code BundleContext::getProperty}; blank means unset. */
    public static DockerSettings from(UnaryOperator<String> properties) {
        String poolSize = valueOr(properties.apply(POOL_SIZE), String.valueOf(DEFAULT_POOL_SIZE)).trim();
        int pool;
        try {
            pool = Integer.parseInt(poolSize);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(POOL_SIZE + " must be a number, was '" + poolSize + "'", e);
        }
        return new DockerSettings(valueOr(properties.apply(HOST), DEFAULT_HOST).trim(),
                parseImages(valueOr(properties.apply(IMAGES), DEFAULT_IMAGES)), pool,
                valueOr(properties.apply(USER), DEFAULT_USER).trim());
    }

    /** {@code 3.11=qflow/python:3.11,3.13=qflow/python:3.13} to an ordered map. */
    static Map<String, String> parseImages(String value) {
        Map<String, String> images = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException(IMAGES + ": '" + entry.trim()
                        + "' is not version=image (e.g. 3.11=qflow/python:3.11)");
            }
            images.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return images;
    }

    private static String valueOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
