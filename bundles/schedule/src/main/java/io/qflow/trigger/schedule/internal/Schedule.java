package io.qflow.trigger.schedule.internal;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.qflow.sdk.trigger.TriggerConfigException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a schedule trigger fires: a cron expression in a time zone (5 fields: Unix, minute first;
 * 6 fields: seconds first, as Spring) or a fixed interval. Immutable.
 */
abstract sealed class Schedule {

    static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    /** The first fire time strictly after {@code after}, if there is one. */
    abstract Optional<Instant> next(Instant after);

    abstract String describe();

    List<Instant> nextTimes(Instant after, int count) {
        List<Instant> out = new ArrayList<>();
        Instant at = after;
        for (int i = 0; i < count; i++) {
            Optional<Instant> next = next(at);
            if (next.isEmpty()) {
                break;
            }
            out.add(next.get());
            at = next.get();
        }
        return out;
    }

    static Schedule parse(JsonNode config) throws TriggerConfigException {
        boolean hasCron = config.hasNonNull("cron");
        boolean hasInterval = config.hasNonNull("intervalSeconds");
        if (hasCron == hasInterval) {
            throw new TriggerConfigException(hasCron ? "intervalSeconds" : "cron",
                    "set exactly one of cron (an expression) and intervalSeconds (a fixed interval)");
        }
        if (hasInterval) {
            JsonNode seconds = config.get("intervalSeconds");
            if (!seconds.isNumber() || seconds.asDouble() < 0.1 || seconds.asDouble() > 366 * 24 * 3600) {
                throw new TriggerConfigException("intervalSeconds", "intervalSeconds must be a number of seconds from 0.1 to a year, not "
                        + seconds);
            }
            return new Interval(Duration.ofMillis(Math.round(seconds.asDouble() * 1000)));
        }
        String zoneText = config.path("timezone").asText("UTC");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw new TriggerConfigException("timezone", "unknown time zone '" + zoneText + "' (use an IANA id such as Europe/Paris or UTC)");
        }
        String expression = config.get("cron").asText().trim();
        int fields = expression.isEmpty() ? 0 : expression.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new TriggerConfigException("cron", "cron '" + expression + "' has " + fields
                    + " fields; use 5 (minute hour day month weekday) or 6 (second first)");
        }
        Cron cron;
        try {
            cron = (fields == 5 ? UNIX : WITH_SECONDS).parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new TriggerConfigException("cron", "cron '" + expression + "' is invalid: " + e.getMessage());
        }
        return new CronSchedule(expression, ExecutionTime.forCron(cron), zone);
    }

    static final class CronSchedule extends Schedule {
        private final String expression;
        private final ExecutionTime times;
        private final ZoneId zone;

        CronSchedule(String expression, ExecutionTime times, ZoneId zone) {
            this.expression = expression;
            this.times = times;
            this.zone = zone;
        }

        @Override
        Optional<Instant> next(Instant after) {
            // cron fields are whole seconds: from the second of 'after' (else its nanos carry into every fire time)
            return times.nextExecution(ZonedDateTime.ofInstant(after, zone).truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .map(t -> t.withNano(0).toInstant());
        }

        @Override
        String describe() {
            return "cron '" + expression + "' in " + zone;
        }
    }

    static final class Interval extends Schedule {
        private final Duration every;

        Interval(Duration every) {
            this.every = every;
        }

        @Override
        Optional<Instant> next(Instant after) {
            return Optional.of(after.plus(every));
        }

        @Override
        String describe() {
            return "every " + every.toMillis() / 1000.0 + " s";
        }
    }
}
