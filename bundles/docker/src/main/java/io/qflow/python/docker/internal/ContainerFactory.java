package io.qflow.python.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and starts worker containers with the isolation every Python node gets: no network
 * (unless the limits ask for it), memory with no swap, a CPU share, a pids limit, a read-only root
 * file system with a small private {@code /tmp}, no capabilities, no privilege escalation, an
 * unprivileged user, and the worker script bind-mounted read-only.
 */
final class ContainerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerFactory.class);

    /** Label on every container this backend creates: the runtime (data folder) that owns it. */
    static final String OWNER_LABEL = "io.qflow.python.docker.owner";
    /** Label: the backend instance that created it; containers of an earlier instance are orphans. */
    static final String INSTANCE_LABEL = "io.qflow.python.docker.instance";
    /* /tmp is the only writable place: its size counts against the memory limit, so keep it small. */
    static final String TMPFS_OPTIONS = "rw,nosuid,nodev,size=64m,mode=1777";

    private final DockerClient client;
    private final String owner;
    private final String instance;
    private final String user;

    ContainerFactory(DockerClient client, String owner, String instance, String user) {
        this.client = client;
        this.owner = owner;
        this.instance = instance;
        this.user = user;
    }

    WorkerContainer start(ContainerKey key) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(key.network() ? "default" : "none")
                .withMemory(key.memoryBytes())
                .withMemorySwap(key.memoryBytes())
                .withNanoCPUs(key.nanoCpus())
                .withPidsLimit(key.pidsLimit())
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", TMPFS_OPTIONS))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withInit(true)
                .withBinds(new Bind(key.workerScript().toString(), new Volume(WorkerContainer.WORKER_PATH), AccessMode.ro));
        String id = client.createContainerCmd(key.image())
                .withHostConfig(host)
                .withUser(user)
                .withWorkingDir("/tmp")
                .withEnv("HOME=/tmp", "LANG=C.UTF-8")
                .withLabels(Map.of(OWNER_LABEL, owner, INSTANCE_LABEL, instance))
                // keeps the container alive between workers; the engine's init reaps orphans
                .withCmd("sleep", "infinity")
                .exec().getId();
        WorkerContainer container = new WorkerContainer(client, id, key, user);
        try {
            client.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            container.remove();
            throw e;
        }
        return container;
    }

    /**
     * Removes containers that an earlier run of this runtime left behind (a crash, a kill -9):
     * same owner label, another instance.
     */
    int removeOrphans() {
        int removed = 0;
        List<Container> mine = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(OWNER_LABEL, owner)).exec();
        for (Container c : mine) {
            if (instance.equals(c.getLabels().get(INSTANCE_LABEL))) {
                continue;
            }
            try {
                client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed++;
            } catch (NotFoundException e) {
                // removed meanwhile
            }
        }
        if (removed > 0) {
            LOG.info("Removed {} Python worker container(s) left behind by an earlier run", removed);
        }
        return removed;
    }
}
