package dev.tributary.kafka;

/**
 * Kafka refused our clients' credentials (or their TLS handshake). The message names the
 * mechanism, the user, where the password came from and the bootstrap servers; never the password.
 */
public final class KafkaAuthenticationException extends RuntimeException {
    public KafkaAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
