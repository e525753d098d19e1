package io.qflow.trigger.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.trigger.TriggerConfigException;
import java.util.regex.Pattern;

/** A PostgreSQL trigger's config, checked when it starts. */
record PostgresConfig(String url, String user, String password, String channel) {

    static final Pattern CHANNEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    static PostgresConfig parse(JsonNode config) throws TriggerConfigException {
        String url = config.path("url").asText("");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new TriggerConfigException("url", "url must be a PostgreSQL JDBC URL such as jdbc:postgresql://localhost:5432/app, not '"
                    + url + "'");
        }
        String channel = config.path("channel").asText("");
        if (!CHANNEL.matcher(channel).matches()) {
            throw new TriggerConfigException("channel", "channel must be an identifier (letters, digits, '_', at most 63), not '"
                    + channel + "'");
        }
        return new PostgresConfig(url, text(config, "user"), text(config, "password"), channel);
    }

    private static String text(JsonNode config, String field) {
        JsonNode value = config.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The channel as a quoted identifier: case kept, nothing to inject (the pattern allows no quote). */
    String quotedChannel() {
        return "\"" + channel + "\"";
    }
}
