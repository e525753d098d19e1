package io.qflow.engine;

import io.qflow.engine.internal.EngineAssembly;
import io.qflow.engine.spi.ExecutionRepository;
import io.qflow.engine.spi.WorkflowRepository;
import io.qflow.sdk.NodeType;
import io.qflow.sdk.trigger.TriggerType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An engine wired without OSGi: for tests, the SDK test kit, benchmarks and embedding. In the
 * runtime the same parts are wired by Declarative Services. Close it to stop its running executions.
 *
 * <pre>{@code
 * try (Engine engine = Engine.builder().nodeTypes(new MyNode()).build()) {
 *     StoredWorkflow wf = engine.workflows().create(json);
 *     Execution done = engine.executions().await(engine.executions().start(wf.id(), input, "manual").id(), Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class Engine implements AutoCloseable {

    private final EngineAssembly assembly;

    private Engine(EngineAssembly assembly) {
        this.assembly = assembly;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The engine's content-addressed file {@link io.qflow.sdk.BlobStore} in a folder of your choice
     * (what the SDK test kit hands to nodes); blobs live under {@code folder/ab/cd/<sha256>}.
     */
    public static io.qflow.sdk.BlobStore fileBlobStore(java.nio.file.Path folder) {
        return new io.qflow.engine.internal.blob.FileBlobStore(folder);
    }

    /**
     * Resolves a node's config as the engine does before calling the node: every {@code {{ }}}
     * string at any depth is evaluated with {@code variables}, the {@code deferred} top-level
     * fields are left as written. Used by the SDK test kit so unit tests see the runtime's config.
     * {@code expressions} is an evaluator from {@link #expressions()}, reused across calls.
     *
     * @throws ExpressionException naming the field (JSON pointer) whose expression failed
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode resolveConfig(Expressions expressions,
            com.fasterxml.jackson.databind.node.ObjectNode config, java.util.Set<String> deferred,
            java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> variables) throws ExpressionException {
        return io.qflow.engine.internal.expression.ConfigTemplates.resolve(config, deferred,
                template -> expressions.evaluate(template, variables));
    }

    /** A standalone expression evaluator (what the engine uses for configs). */
    public static Expressions expressions() {
        return EngineAssembly.newExpressions();
    }

    public WorkflowService workflows() {
        return assembly.workflows();
    }

    public ExecutionService executions() {
        return assembly.executions();
    }

    public NodeCatalog catalog() {
        return assembly.catalog();
    }

    /**
     * Named credentials, encrypted in the builder's {@link Builder#documentRepository document
     * repository}, that node configs read as {@code {{ secrets.<name> }}}.
     *
     * @since 1.4
     */
    public CredentialService credentials() {
        return assembly.credentials();
    }

    /** Live events of executions and the engine's counters. */
    public ExecutionMonitor monitor() {
        return assembly.engine().monitor();
    }

    @Override
    public void close() {
        assembly.close();
    }

    /** Configures an {@link Engine}; repositories default to in-memory ones. Not thread-safe. */
    public static final class Builder {
        private final List<NodeType> nodeTypes = new ArrayList<>();
        private final List<TriggerType> triggerTypes = new ArrayList<>();
        private WorkflowRepository workflowRepository;
        private ExecutionRepository executionRepository;
        private io.qflow.engine.spi.NodeResultCache nodeResultCache;
        private java.nio.file.Path dataFolder;
        private Long blobInlineMaxBytes;
        private java.time.Duration persistenceFlushDelay;
        private io.qflow.engine.spi.DocumentRepository documentRepository;
        private byte[] secretKey;

        private Builder() {
        }

        public Builder nodeTypes(NodeType... types) {
            nodeTypes.addAll(Arrays.asList(types));
            return this;
        }

        public Builder nodeTypes(List<? extends NodeType> types) {
            nodeTypes.addAll(types);
            return this;
        }

        public Builder triggerTypes(TriggerType... types) {
            triggerTypes.addAll(Arrays.asList(types));
            return this;
        }

        public Builder workflowRepository(WorkflowRepository repository) {
            this.workflowRepository = repository;
            return this;
        }

        public Builder executionRepository(ExecutionRepository repository) {
            this.executionRepository = repository;
            return this;
        }

        /** Where node results with a {@code cache} option are kept (default: an in-memory LRU of 10,000 entries). */
        public Builder nodeResultCache(io.qflow.engine.spi.NodeResultCache cache) {
            this.nodeResultCache = cache;
            return this;
        }

        /**
         * The data folder: blobs (binary data and large values) go to {@code <folder>/blobs}. Default:
         * {@code ${java.io.tmpdir}/qflow-blobs}.
         */
        public Builder dataFolder(java.nio.file.Path folder) {
            this.dataFolder = java.util.Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * Above how many bytes of JSON a node's output value is kept in the blob store and only its
         * reference in the execution record. Default: the system property
         * {@code qflow.blobs.inlineMaxBytes}, else 256 KB.
         */
        public Builder blobInlineMaxBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("blobInlineMaxBytes must not be negative: " + bytes);
            }
            this.blobInlineMaxBytes = bytes;
            return this;
        }

        /**
         * How long the changes of a running execution of a workflow with
         * {@code settings.persistence: "batched"} may stay in memory before they are written
         * unasked (default 100 ms). Outcomes and accepted executions are written when needed, whatever this says.
         *
         * @since 1.3
         */
        public Builder persistenceFlushDelay(java.time.Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("persistenceFlushDelay must not be negative: " + delay);
            }
            this.persistenceFlushDelay = delay;
            return this;
        }

        /**
         * Where credentials are kept (collection {@code credentials}, encrypted). Default: in memory.
         *
         * @since 1.4
         */
        public Builder documentRepository(io.qflow.engine.spi.DocumentRepository repository) {
            this.documentRepository = java.util.Objects.requireNonNull(repository, "repository");
            return this;
        }

        /**
         * The AES-256 key (32 bytes) that encrypts credentials. Default: the key file
         * {@code <dataFolder>/secret.key} (made on first use) when a {@link #dataFolder data folder} is
         * set, else a random key that lives as long as the engine.
         *
         * @since 1.4
         */
        public Builder secretKey(byte[] key) {
            io.qflow.engine.internal.credentials.SecretKeySource.of(key); // checks the length now
            this.secretKey = key.clone();
            return this;
        }

        public Engine build() {
            io.qflow.engine.internal.blob.LargeValues defaults = EngineAssembly.defaultLargeValues();
            io.qflow.engine.internal.blob.LargeValues largeValues = new io.qflow.engine.internal.blob.LargeValues(
                    dataFolder == null ? defaults.store() : new io.qflow.engine.internal.blob.FileBlobStore(dataFolder.resolve("blobs")),
                    blobInlineMaxBytes == null ? defaults.inlineMaxBytes() : blobInlineMaxBytes);
            EngineAssembly assembly = EngineAssembly.standalone(nodeTypes, triggerTypes, workflowRepository, executionRepository,
                    largeValues);
            if (nodeResultCache != null) {
                assembly.engine().nodeResultCache(nodeResultCache);
            }
            if (persistenceFlushDelay != null) {
                assembly.engine().persistenceFlushDelay(persistenceFlushDelay.toMillis());
            }
            io.qflow.engine.internal.credentials.SecretKeySource keys = secretKey != null
                    ? io.qflow.engine.internal.credentials.SecretKeySource.of(secretKey)
                    : dataFolder != null ? io.qflow.engine.internal.credentials.SecretKeySource.from(name -> null, dataFolder)
                    : io.qflow.engine.internal.credentials.SecretKeySource.ephemeral();
            assembly.credentials(new io.qflow.engine.internal.credentials.Credentials(documentRepository == null
                    ? new io.qflow.engine.internal.memory.InMemoryDocumentRepository() : documentRepository, keys));
            return new Engine(assembly);
        }
    }
}
