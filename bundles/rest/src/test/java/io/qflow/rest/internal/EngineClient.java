package io.qflow.rest.internal;

import io.qflow.engine.Engine;
import io.qflow.sdk.NodeType;

/** A real in-memory engine with the REST API over it on a free port, for route tests; close both. */
record EngineClient(Engine engine, TestClient client) implements AutoCloseable {

    static EngineClient of(NodeType... nodeTypes) {
        Engine engine = Engine.builder().nodeTypes(nodeTypes).build();
        return new EngineClient(engine, new TestClient(new RestApi(engine.workflows(), engine.executions(), engine.catalog(),
                new FakeServices.FakePlugins(), RestSettings.forTests())));
    }

    @Override
    public void close() {
        client.close();
        engine.close();
    }
}
