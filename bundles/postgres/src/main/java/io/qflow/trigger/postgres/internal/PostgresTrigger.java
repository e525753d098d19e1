package io.qflow.trigger.postgres.internal;

import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggerHandle;
import io.qflow.sdk.trigger.TriggerType;
import org.osgi.service.component.annotations.Component;

/** {@code trigger.postgres}: each NOTIFY on a PostgreSQL channel starts a run with its payload. */
@Component(service = TriggerType.class)
public final class PostgresTrigger implements TriggerType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("trigger.postgres")
            .name("PostgreSQL notify")
            .category("Triggers")
            .description("LISTENs on a PostgreSQL channel; each NOTIFY starts the workflow with its payload (parsed when it "
                    + "is JSON). The connection is reopened with backoff when it drops. Use pg_notify from a database trigger "
                    + "to react to inserts and updates.")
            .icon("database")
            .output("payload", DataType.ANY, "The notification's payload: JSON parsed, else the text")
            .output("channel", DataType.STRING, "The channel")
            .output("processId", DataType.INTEGER, "PID of the notifying backend")
            .output("receivedAt", DataType.STRING, "When Qflow received it, ISO-8601")
            .configSchemaResource(PostgresTrigger.class, "postgres.schema.json")
            .example("{\"url\": \"jdbc:postgresql://localhost:5432/app\", \"user\": \"app\", \"password\": \"{{ secrets.appDb.password }}\", \"channel\": \"new_user\"}")
            .build();

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public TriggerHandle start(TriggerContext context) throws Exception {
        return new ChannelListener(context, PostgresConfig.parse(context.config()));
    }
}
