package dev.tributary.e2e;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * A SASL_SSL listener with SCRAM-SHA-512, as Amazon MSK's SASL/SCRAM listeners are, for the
 * embedded broker: a throwaway self-signed certificate for {@code localhost} (made by the JDK's
 * keytool), the broker properties that add the listener beside the plaintext ones, and users.
 *
 * @param keystore the broker's key and certificate (PKCS12)
 * @param certificate the certificate as PEM: the CA file clients trust ({@code kafka.truststore.location})
 */
record ScramTlsListener(Path keystore, Path certificate) {
    static final String NAME = "SECURE";
    private static final String KEYSTORE_PASSWORD = "broker-keystore-pass";

    ScramTlsListener {
        requireNonNull(keystore, "keystore is null");
        requireNonNull(certificate, "certificate is null");
    }

    static ScramTlsListener create(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path keystore = directory.resolve("broker.p12");
        Path certificate = directory.resolve("ca.pem");
        keytool(directory, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD);
        keytool(directory, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", KEYSTORE_PASSWORD, "-file", certificate.toString());
        return new ScramTlsListener(keystore, certificate);
    }

    /** The listeners of {@code LocalKafka} plus this one, SCRAM-SHA-512 over TLS with our certificate. */
    Map<String, String> brokerProperties() {
        String prefix = "listener.name." + NAME.toLowerCase(java.util.Locale.ROOT) + ".";
        Map<String, String> properties = new HashMap<>();
        properties.put("listeners", "EXTERNAL://localhost:0," + NAME + "://localhost:0,CONTROLLER://localhost:0");
        properties.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT," + NAME + ":SASL_SSL,CONTROLLER:PLAINTEXT");
        properties.put(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-512");
        properties.put(prefix + "scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        properties.put(prefix + "ssl.keystore.type", "PKCS12");
        properties.put(prefix + "ssl.keystore.location", keystore.toString());
        properties.put(prefix + "ssl.keystore.password", KEYSTORE_PASSWORD);
        properties.put(prefix + "ssl.key.password", KEYSTORE_PASSWORD);
        return properties;
    }

    /**
     * Creates a SCRAM-SHA-512 user through {@code admin} (on the plaintext listener), then waits
     * until the listener at {@code bootstrapServers} accepts it: credentials reach the broker through
     * the KRaft metadata log, a moment after the controller took them.
     */
    static void addUser(Admin admin, String user, String password, String bootstrapServers, Map<String, String> clientProperties, Duration timeout)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                .all().get(30, TimeUnit.SECONDS);
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put("bootstrap.servers", bootstrapServers);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Admin secured = Admin.create(properties)) {
                secured.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void keytool(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + arguments[0] + " failed: " + output);
        }
    }
}
