package io.qflow.trigger.schedule.internal;

import io.qflow.sdk.DataType;
import io.qflow.sdk.NodeDescriptor;
import io.qflow.sdk.trigger.TriggerConfigException;
import io.qflow.sdk.trigger.TriggerContext;
import io.qflow.sdk.trigger.TriggerHandle;
import io.qflow.sdk.trigger.TriggerType;
import java.time.Clock;
import org.osgi.service.component.annotations.Component;

/** {@code trigger.schedule}: starts the workflow on a cron expression or at a fixed interval. */
@Component(service = TriggerType.class)
public final class ScheduleTrigger implements TriggerType {

    static final NodeDescriptor DESCRIPTOR = NodeDescriptor.builder("trigger.schedule")
            .name("Schedule")
            .category("Triggers")
            .description("Starts the workflow on a cron expression (5 fields, or 6 with seconds first; in a time zone) or "
                    + "every N seconds. After downtime, missedFire 'skip' goes on from now, 'runOnce' runs once for what was "
                    + "missed. The next fire times are shown on the workflow's trigger status.")
            .icon("clock")
            .output("scheduledTime", DataType.STRING, "The fire time the schedule planned (ISO-8601)")
            .output("firedAt", DataType.STRING, "When it actually fired (ISO-8601)")
            .output("missed", DataType.BOOLEAN, "True for the one run of missedFire runOnce after downtime")
            .configSchemaResource(ScheduleTrigger.class, "schedule.schema.json")
            .example("{\"cron\": \"0 9 * * MON-FRI\", \"timezone\": \"Europe/Paris\"}")
            .example("{\"cron\": \"*/10 * * * * *\"}")
            .example("{\"intervalSeconds\": 300, \"missedFire\": \"runOnce\"}")
            .build();

    private final Clock clock;

    public ScheduleTrigger() {
        this(Clock.systemUTC());
    }

    ScheduleTrigger(Clock clock) {
        this.clock = clock;
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public TriggerHandle start(TriggerContext context) throws Exception {
        Schedule schedule = Schedule.parse(context.config());
        String policy = context.config().path("missedFire").asText("skip");
        if (!policy.equals("skip") && !policy.equals("runOnce")) {
            throw new TriggerConfigException("missedFire", "missedFire must be skip or runOnce, not '" + policy + "'");
        }
        ScheduleRunner runner = new ScheduleRunner(context, schedule, policy.equals("runOnce"), clock);
        runner.start();
        return runner;
    }
}
