package io.qflow.sdk.trigger;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers requests to one registered webhook path.
 *
 * <p>Threading: called on the server's request threads (virtual threads), concurrently. Return a
 * stage that completes later rather than blocking for long; a stage completed with a
 * {@link WebhookRejection} is answered as a 4xx problem.
 *
 * @since 1.1
 */
@FunctionalInterface
@ConsumerType
public interface WebhookHandler {

    CompletionStage<WebhookResponse> handle(WebhookRequest request) throws WebhookRejection;
}
