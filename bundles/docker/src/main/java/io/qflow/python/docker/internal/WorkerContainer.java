package io.qflow.python.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running container that workers are {@code exec}'d into. Its main process only keeps it
 * alive (under the engine's init, which reaps whatever user code leaves behind); every worker is a
 * {@code python3 -u -I -X utf8 /qflow/worker.py} started with {@code docker exec -i}, so the
 * container, its limits and its file system outlive a crashed worker and serve the next one.
 */
final class WorkerContainer {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerContainer.class);
    static final String WORKER_PATH = "/qflow/worker.py";

    private final DockerClient client;
    private final String id;
    private final ContainerKey key;
    private final String user;
    private final Set<DockerWorkerProcess> workers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean dead = new AtomicBoolean();
    /* A container started for work outside an execution goes away with its worker. */
    private volatile boolean removeWhenIdle;

    WorkerContainer(DockerClient client, String id, ContainerKey key, String user) {
        this.client = client;
        this.id = id;
        this.key = key;
        this.user = user;
    }

    String id() {
        return id;
    }

    ContainerKey key() {
        return key;
    }

    boolean isAlive() {
        return !dead.get();
    }

    /** Starts one more worker in this container; its hello frame is waiting on its stdout when it runs. */
    DockerWorkerProcess execWorker() {
        if (dead.get()) {
            throw new IllegalStateException("container " + shortId() + " is gone");
        }
        String execId = client.execCreateCmd(id)
                .withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
                .withUser(user).withWorkingDir("/tmp")
                .withCmd(List.of(key.python(), "-u", "-I", "-X", "utf8", WORKER_PATH).toArray(String[]::new))
                .exec().getId();
        DockerWorkerProcess worker = new DockerWorkerProcess(client, this, execId);
        workers.add(worker);
        worker.start();
        return worker;
    }

    boolean hasOtherLiveWorkers(DockerWorkerProcess worker) {
        return workers.stream().anyMatch(w -> w != worker && w.isAlive());
    }

    /**
     * SIGKILLs one process inside the container, as the workers' user (no capabilities needed for
     * one's own processes). Returns whether the kill ran and succeeded within a few seconds.
     */
    boolean killProcess(long pid) {
        if (dead.get()) {
            return false;
        }
        try {
            String execId = client.execCreateCmd(id).withUser(user).withAttachStdout(true).withAttachStderr(true)
                    .withCmd("sh", "-c", "kill -9 " + pid).exec().getId();
            boolean done = client.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>())
                    .awaitCompletion(5, TimeUnit.SECONDS);
            Long exit = done ? client.inspectExecCmd(execId).exec().getExitCodeLong() : null;
            return exit != null && exit == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    void removeWhenIdle() {
        removeWhenIdle = true;
        if (workers.isEmpty()) {
            removeAsync();
        }
    }

    /** Called by a worker whose process ended. */
    void workerEnded(DockerWorkerProcess worker) {
        workers.remove(worker);
        if (removeWhenIdle && workers.isEmpty()) {
            removeAsync();
        }
    }

    /**
     * Kills every process of the container at once (SIGKILL through its cgroup: the only sure
     * way to stop a fork bomb that lives in it) and removes it in the background.
     */
    void kill() {
        if (!dead.compareAndSet(false, true)) {
            return;
        }
        try {
            client.killContainerCmd(id).exec();
        } catch (NotFoundException | ConflictException e) {
            // already stopped or removed: that is what we wanted
        } catch (RuntimeException e) {
            LOG.warn("Could not kill container {}: {}", shortId(), e.toString());
        }
        removeAsync();
    }

    /** Removes the container (killing it first if it runs) and waits for the engine to confirm. */
    void remove() {
        dead.set(true);
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (ConflictException e) {
            // removal already in progress
        } catch (RuntimeException e) {
            LOG.warn("Could not remove container {}: {}", shortId(), e.toString());
        }
        workers.forEach(DockerWorkerProcess::containerGone);
    }

    private void removeAsync() {
        Thread.ofVirtual().name("qflow-docker-remove-" + shortId()).start(this::remove);
    }

    String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    @Override
    public String toString() {
        return "container " + shortId() + " (" + key.image() + ")";
    }
}
