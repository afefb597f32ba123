package dev.tributary.config;

/**
 * Where secret values are read by name at start-up: AWS Secrets Manager
 * ({@link SecretsManagerSecrets}) in a deployment, anything else in a test. A failure names the
 * secret, never its value.
 */
@FunctionalInterface
public interface Secrets {
    /** The secret's text, or a {@link SecretUnavailableException} saying why it cannot be read. */
    String secretString(String secretId);

    /** A secret that cannot be read: missing, not allowed, unreachable. The message never holds a secret value. */
    final class SecretUnavailableException extends RuntimeException {
        public SecretUnavailableException(String message) {
            super(message);
        }
    }
}
