package io.qflow.sdk.trigger;

/**
 * Thrown by a {@link WebhookHandler} to refuse a request (a missing token, a broken signature, a
 * body that does not parse): the REST front answers {@code status} as {@code application/problem+json}
 * with this message as the detail.
 *
 * @since 1.1
 */
public class WebhookRejection extends Exception {

    private static final long serialVersionUID = 1L;
    private final int status;

    public WebhookRejection(int status, String message) {
        super(message);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a rejection is a 4xx status: " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
