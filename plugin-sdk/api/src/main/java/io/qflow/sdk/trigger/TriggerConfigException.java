package io.qflow.sdk.trigger;

/**
 * Thrown by {@link TriggerType#start} when a config field cannot work (a folder that does not exist,
 * a cron expression that does not parse): activation is refused with a validation problem at
 * {@code /nodes/<i>/config/<field>} naming the trigger node.
 *
 * @since 1.1
 */
public class TriggerConfigException extends Exception {

    private static final long serialVersionUID = 1L;
    private final String field;

    /** @param field the config field, as a JSON pointer below the config without the leading slash ({@code folder}, {@code auth/secret}) */
    public TriggerConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
