package io.qflow.python.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.qflow.python.spi.EnvironmentSpec;
import io.qflow.python.spi.PipOptions;
import io.qflow.python.spi.PythonBackendException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Maps environments to images. The bare interpreter of a version is the configured base image;
 * an environment with requirements becomes a derived image {@code qflow/python-env:<key>}: a
 * one-off container of the base image creates a venv in {@code /opt/qflow/env}, pip installs the
 * requirements into it (from the configured index, or offline from find-links folders mounted
 * read-only), and the container is committed. Images live in the engine, so an environment is
 * built once and survives restarts of the runtime.
 */
final class EnvironmentImages {

    static final String ENV_REPOSITORY = "qflow/python-env";
    static final String VENV = "/opt/qflow/env";
    static final String VENV_PYTHON = VENV + "/bin/python";
    static final String BASE_PYTHON = "python3";
    /* pip gets this long; an install that hangs (a dead index) must not hold the environment for ever. */
    private static final long INSTALL_TIMEOUT_MINUTES = 30;

    /** An image and the interpreter inside it that runs the worker. */
    record Image(String name, String python) {
    }

    private final DockerClient client;
    private final Map<String, String> baseImages;
    private final String owner;

    EnvironmentImages(DockerClient client, Map<String, String> baseImages, String owner) {
        this.client = client;
        this.baseImages = baseImages;
        this.owner = owner;
    }

    /** The image that runs workers of the environment (prepared or not). */
    Image imageOf(EnvironmentSpec env) throws PythonBackendException {
        String base = baseImage(env.pythonVersion());
        return env.requirements().isEmpty() ? new Image(base, BASE_PYTHON) : new Image(envImage(env), VENV_PYTHON);
    }

    void prepare(EnvironmentSpec env, Consumer<String> progress) throws PythonBackendException {
        String base = baseImage(env.pythonVersion());
        if (!exists(base)) {
            throw new PythonBackendException("python.version_unavailable", "Python " + env.pythonVersion()
                    + " is mapped to the image " + base + ", which the Docker engine does not have: build it "
                    + "(scripts/docker-test-engine.sh start builds qflow/python:3.11 and :3.13 from Debian packages) "
                    + "or change qflow.python.docker.images");
        }
        if (env.requirements().isEmpty() || exists(envImage(env))) {
            return;
        }
        build(env, base, progress);
    }

    private void build(EnvironmentSpec env, String base, Consumer<String> progress) throws PythonBackendException {
        PipOptions pip = env.pip();
        List<Bind> binds = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("sh", "-c",
                // venv first; pip's own output is what the user sees, so no progress bars and no version nag
                "python3 -m venv " + VENV + " && exec " + VENV + "/bin/pip install --disable-pip-version-check "
                        + "--no-input --progress-bar off --no-cache-dir \"$@\"",
                "pip"));
        if (pip.noIndex()) {
            args.add("--no-index");
        }
        if (pip.indexUrl() != null && !pip.indexUrl().isBlank()) {
            args.add("--index-url");
            args.add(pip.indexUrl());
        }
        for (int i = 0; i < pip.findLinks().size(); i++) {
            String link = pip.findLinks().get(i);
            args.add("--find-links");
            if (link.contains("://")) {
                args.add(link);
            } else {
                Path folder = Path.of(link).toAbsolutePath().normalize();
                if (!Files.isDirectory(folder)) {
                    throw new PythonBackendException("python.install_failed",
                            "find-links folder " + folder + " does not exist", null, null);
                }
                String inside = "/qflow/find-links/" + i;
                binds.add(new Bind(folder.toString(), new Volume(inside), AccessMode.ro));
                args.add(inside);
            }
        }
        args.addAll(env.requirements());
        // Offline installs need no network at all; an index does.
        boolean network = !pip.noIndex();
        String id = client.createContainerCmd(base)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network ? "default" : "none")
                        .withBinds(binds))
                .withLabels(Map.of(ContainerFactory.OWNER_LABEL, owner, "io.qflow.python.docker.build", env.key()))
                .withEnv("LANG=C.UTF-8", "PIP_ROOT_USER_ACTION=ignore")
                .withCmd(args)
                .exec().getId();
        StringBuilder output = new StringBuilder();
        try {
            progress.accept("docker: building " + envImage(env) + " from " + base + " (pip install "
                    + String.join(" ", env.requirements()) + ")");
            client.startContainerCmd(id).exec();
            streamLines(id, line -> {
                output.append(line).append('\n');
                progress.accept(line);
            });
            Integer status = client.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            if (status == null || status != 0) {
                throw new PythonBackendException("python.install_failed", "pip install of "
                        + String.join(" ", env.requirements()) + " into " + base + " failed (exit " + status + ")",
                        output.toString(), null);
            }
            client.commitCmd(id).withRepository(ENV_REPOSITORY).withTag(env.key())
                    .withLabels(Map.of("io.qflow.python.version", env.pythonVersion(),
                            "io.qflow.python.requirements", String.join(" ", env.requirements()),
                            "io.qflow.python.interpreter", VENV_PYTHON))
                    .exec();
            progress.accept("docker: environment image " + envImage(env) + " ready");
        } catch (PythonBackendException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PythonBackendException("python.install_failed", "building " + envImage(env) + " failed: " + e,
                    output.toString(), e);
        } finally {
            try {
                client.removeContainerCmd(id).withForce(true).exec();
            } catch (NotFoundException ignored) {
                // gone already
            }
        }
    }

    /* Follows the build container's output to its end, line by line. */
    private void streamLines(String id, Consumer<String> lines) throws PythonBackendException {
        StringBuilder partial = new StringBuilder();
        try {
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                            int nl;
                            while ((nl = partial.indexOf("\n")) >= 0) {
                                lines.accept(partial.substring(0, nl));
                                partial.delete(0, nl + 1);
                            }
                        }
                    })
                    .awaitCompletion(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PythonBackendException("python.install_failed", "interrupted while installing", null, e);
        }
        if (!partial.isEmpty()) {
            lines.accept(partial.toString());
        }
    }

    String baseImage(String version) throws PythonBackendException {
        String image = baseImages.get(version);
        if (image == null) {
            throw new PythonBackendException("python.version_unavailable", "the docker backend has no image for Python "
                    + version + " (qflow.python.docker.images maps " + baseImages.keySet() + ")");
        }
        return image;
    }

    static String envImage(EnvironmentSpec env) {
        return ENV_REPOSITORY + ":" + env.key();
    }

    boolean exists(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
