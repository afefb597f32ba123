package dev.tributary.alerts;

import dev.tributary.schemas.alerts.Alert;

/** A destination that receives alerts as structured-mode CloudEvents. */
public interface Notifier extends AutoCloseable {
    /** A name for logs and dead letters: {@code webhook https://...}, {@code sns arn:aws:sns:...}. */
    String name();

    /**
     * Delivers one alert or throws. {@code structuredJson} is the alert's CloudEvent in
     * {@code application/cloudevents+json}; {@code alert} is there for attributes a destination
     * can filter on.
     */
    void deliver(byte[] structuredJson, Alert alert) throws DeliveryException;

    @Override
    default void close() {}

    /** A failed delivery; {@code retryable} says whether trying again may help. */
    final class DeliveryException extends Exception {
        private final boolean retryable;

        public DeliveryException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
