package dev.tributary.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection at start-up, so that refused credentials stop a service with a message that
 * says who was refused where, instead of clients retrying in the background. Only an
 * authentication failure is fatal: a broker that cannot be reached yet is logged and left to the
 * clients' own retries, and an authorization error means the credentials were accepted.
 */
public final class KafkaConnectionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnectionCheck.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private KafkaConnectionCheck() {}

    /**
     * Connects with {@code clientProperties} (the authentication's and the user's) and asks for the
     * cluster id; throws {@link KafkaAuthenticationException} when Kafka refuses the credentials.
     * Does nothing without authentication ({@code kafka.auth=none}).
     */
    public static void verify(KafkaAuth auth, String bootstrapServers, Map<String, String> clientProperties, Duration timeout) {
        requireNonNull(auth, "auth is null");
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        if (auth.mechanism() == KafkaAuth.Mechanism.NONE) {
            return;
        }
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("client.id", "tributary-authentication-check");
        properties.put("request.timeout.ms", Long.toString(timeout.toMillis()));
        properties.put("default.api.timeout.ms", Long.toString(timeout.toMillis()));
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SslAuthenticationException) {
                throw new KafkaAuthenticationException("TLS handshake with Kafka at " + bootstrapServers + " failed ("
                        + (auth.truststoreLocation() == null ? "trusting the JVM's CA certificates" : "trusting " + auth.truststoreLocation())
                        + "): " + cause.getMessage(), cause);
            }
            if (cause instanceof AuthenticationException) {
                throw new KafkaAuthenticationException(auth.failureMessage(bootstrapServers, cause.getMessage()), cause);
            }
            if (cause instanceof AuthorizationException) {
                LOG.info("Kafka at {} accepted {} (and does not let it describe the cluster)", bootstrapServers, auth.principal());
                return;
            }
            LOG.warn("Could not check Kafka authentication ({}) at {}: {}; the clients will keep trying", auth.principal(), bootstrapServers, cause.toString());
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("Kafka at {} did not answer within {} to check authentication ({}); the clients will keep trying", bootstrapServers, timeout, auth.principal());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka authentication at " + bootstrapServers, e);
        }
    }
}
