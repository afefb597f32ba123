package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import java.time.Duration;

/**
 * Delivers with retries: up to {@code maxAttempts} attempts, waiting {@code initialBackoff},
 * then twice as long each time, at most {@code maxBackoff}, between them; a failure that is not
 * retryable ends at once. The caller gets the outcome, failures included, never an exception:
 * what still fails goes to the dead-letter topic.
 */
public final class RetryingDelivery {
    /** How the delivery waits; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** One try at a delivery; throws when it did not succeed. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws Notifier.DeliveryException;
    }

    /** What happened: how many attempts, and the last error (null when delivered). */
    public record Outcome(int attempts, String error) {
        public boolean delivered() {
            return error == null;
        }

        /** The reason a dead letter gives: {@code not delivered after 5 attempts: <the last error>}. */
        public String reason() {
            return "not delivered after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + error;
        }
    }

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;

    public RetryingDelivery(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
        if (maxAttempts <= 0) {
            throw new IllegalArgumentException("maxAttempts must be positive");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff is null");
        this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
    }

    public Outcome deliver(Notifier notifier, byte[] structuredJson, Alert alert) {
        return deliver(notifier.name(), () -> notifier.deliver(structuredJson, alert));
    }

    /** Runs {@code delivery} until it succeeds, fails for good or runs out of attempts; {@code destination} names it in errors. */
    public Outcome deliver(String destination, Attempt delivery) {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                delivery.run();
                return new Outcome(attempt, null);
            } catch (Notifier.DeliveryException e) {
                if (!e.retryable() || attempt >= maxAttempts) {
                    return new Outcome(attempt, e.getMessage() + (e.retryable() ? "" : " (not retried)"));
                }
            }
            try {
                sleeper.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(attempt, destination + ": interrupted while waiting to retry");
            }
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
    }
}
