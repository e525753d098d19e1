package io.qflow.trigger.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggerHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One LISTEN: a virtual thread holds a connection, waits for notifications and fires once per
 * NOTIFY. A lost connection is logged on the trigger's status and opened again with backoff (1 s
 * doubling to 30 s); notifications sent while it was down are lost, as PostgreSQL does not keep them.
 */
final class ChannelListener implements TriggerHandle, Runnable {

    static final long MAX_BACKOFF_MS = 30_000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final TriggerContext context;
    private final PostgresConfig config;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile boolean listening;
    private volatile long received;

    ChannelListener(TriggerContext context, PostgresConfig config) {
        this.context = context;
        this.config = config;
        this.thread = Thread.ofVirtual().name("qflow-pg-" + context.workflowId() + "/" + context.nodeId()).start(this);
    }

    @Override
    public void run() {
        long backoff = 1000;
        while (!closed) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement statement = c.createStatement()) {
                    statement.execute("LISTEN " + config.quotedChannel());
                }
                listening = true;
                backoff = 1000;
                context.log().info("listening on channel " + config.channel());
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            fire(n);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    return;
                }
                context.log().error("connection to " + config.url() + " failed (" + e.getMessage() + "); retrying in "
                        + backoff / 1000.0 + " s");
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (config.user() != null) {
            properties.setProperty("user", config.user());
        }
        if (config.password() != null) {
            properties.setProperty("password", config.password());
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "qflow trigger " + context.workflowId() + "/" + context.nodeId());
        // The driver class directly: DriverManager does not see bundles' drivers in OSGi.
        Connection c = new org.postgresql.Driver().connect(config.url(), properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + config.url());
        }
        c.setAutoCommit(true);
        return c;
    }

    private void fire(PGNotification notification) {
        received++;
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        outputs.put("channel", JSON.textNode(notification.getName()));
        outputs.put("payload", payload(notification.getParameter()));
        outputs.put("processId", JSON.numberNode(notification.getPID()));
        outputs.put("receivedAt", JSON.textNode(Instant.now().toString()));
        try {
            context.fire(outputs);
        } catch (RuntimeException e) {
            context.log().error("could not start a run for a notification on " + notification.getName() + ": " + e.getMessage());
        }
    }

    /** The payload parsed when it is JSON (an object, array, number...), else the text as it came. */
    JsonNode payload(String text) {
        if (text == null || text.isEmpty()) {
            return JSON.textNode(text == null ? "" : text);
        }
        try {
            JsonNode parsed = mapper.readTree(text);
            return parsed == null || parsed.isMissingNode() ? JSON.textNode(text) : parsed;
        } catch (java.io.IOException e) {
            return JSON.textNode(text);
        }
    }

    @Override
    public JsonNode details() {
        ObjectNode details = JSON.objectNode();
        details.put("channel", config.channel());
        details.put("connected", listening);
        details.put("notifications", received);
        return details;
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                context.log().warn("closing the connection: " + e.getMessage());
            }
        }
        thread.interrupt();
    }
}
