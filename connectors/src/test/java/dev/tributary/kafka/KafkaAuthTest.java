package dev.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.config.ConfigException;
import dev.tributary.config.ConfigValues;
import dev.tributary.config.Secrets;
import dev.tributary.config.SecretsManagerStub;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaAuthTest {
    private static final String PASSWORD = "s3cr3t-\"quoted\"-\\back";
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_tributary-AbCdEf";

    private static KafkaAuth read(Map<String, String> values, Map<String, String> environment, Secrets secrets) {
        ConfigValues reader = new ConfigValues(values);
        return KafkaAuth.from(reader, reader.withPrefix("kafka.property."), environment, secrets);
    }

    private static KafkaAuth read(Map<String, String> values, Map<String, String> environment) {
        return read(values, environment, id -> {
            throw new AssertionError("no secret should be read");
        });
    }

    private static Map<String, String> scram() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kafka.auth", "scram-sha-512");
        values.put("kafka.auth.username", "tributary");
        return values;
    }

    @Test
    void noAuthenticationByDefaultAddsNothing() {
        KafkaAuth auth = read(Map.of("kafka.property.security.protocol", "SSL"), Map.of());
        assertThat(auth.mechanism()).isEqualTo(KafkaAuth.Mechanism.NONE);
        assertThat(auth.clientProperties()).isEmpty();
        assertThat(auth.describe()).isEqualTo("kafka.auth = none");
    }

    @Test
    void scramTakesThePasswordFromTheEnvironmentAndEscapesItForJaas() {
        KafkaAuth auth = read(scram(), Map.of("TRIBUTARY_KAFKA_PASSWORD", PASSWORD));

        assertThat(auth.clientProperties()).containsExactly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"tributary\" "
                        + "password=\"s3cr3t-\\\"quoted\\\"-\\\\back\";"));
        // Kafka's own JAAS parser reads the escaped value back as the password.
        org.apache.kafka.common.security.JaasContext jaas = org.apache.kafka.common.security.JaasContext.loadClientContext(
                Map.of("sasl.jaas.config", new org.apache.kafka.common.config.types.Password(auth.clientProperties().get("sasl.jaas.config"))));
        Map<String, Object> options = new HashMap<>(jaas.configurationEntries().get(0).getOptions());
        assertThat(options).containsEntry("password", PASSWORD).containsEntry("username", "tributary");
        assertThat(auth.describe()).isEqualTo("kafka.auth = scram-sha-512: SCRAM-SHA-512 as user 'tributary' (password from environment variable TRIBUTARY_KAFKA_PASSWORD)");
        assertThat(auth.toString()).doesNotContain("s3cr3t");
        assertThat(auth.failureMessage("b-1:9096", "invalid credentials")).doesNotContain("s3cr3t")
                .contains("Kafka authentication failed", "SCRAM-SHA-512", "'tributary'", "b-1:9096");
    }

    @Test
    void theVariableCanBeNamedAndAMissingPasswordIsExplained() {
        Map<String, String> named = scram();
        named.put("kafka.auth.password-env", "MSK_PASSWORD");
        assertThat(read(named, Map.of("MSK_PASSWORD", "x1")).password()).isEqualTo("x1");

        assertThatThrownBy(() -> read(named, Map.of("TRIBUTARY_KAFKA_PASSWORD", "x1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environment variable MSK_PASSWORD").hasMessageContaining("kafka.auth.secret-id").hasMessageContaining("'tributary'");
        Map<String, String> noUser = scram();
        noUser.remove("kafka.auth.username");
        assertThatThrownBy(() -> read(noUser, Map.of("TRIBUTARY_KAFKA_PASSWORD", "x1"))).hasMessageContaining("'kafka.auth.username'");
    }

    @Test
    void aSecretInMsksFormatGivesUserAndPassword() {
        Map<String, String> values = new HashMap<>(Map.of("kafka.auth", "scram-sha-512", "kafka.auth.secret-id", ARN));
        KafkaAuth auth = read(values, Map.of(), id -> id.equals(ARN) ? "{\"username\":\"svc\",\"password\":\"" + "pw-1" + "\"}" : null);

        assertThat(auth.username()).isEqualTo("svc");
        assertThat(auth.password()).isEqualTo("pw-1");
        assertThat(auth.describe()).contains("'svc'").contains("AWS Secrets Manager secret " + ARN).doesNotContain("pw-1");

        values.put("kafka.auth.username", "someone-else");
        assertThatThrownBy(() -> read(values, Map.of(), id -> "{\"username\":\"svc\",\"password\":\"pw-1\"}"))
                .hasMessageContaining("'kafka.auth.username'").hasMessageContaining("'svc'").hasMessageNotContaining("pw-1");
    }

    @Test
    void aSecretThatIsNotMsksJsonIsRefusedWithoutQuotingIt() {
        Map<String, String> values = Map.of("kafka.auth", "scram-sha-512", "kafka.auth.secret-id", ARN);
        assertThatThrownBy(() -> read(values, Map.of(), id -> "plain-pw-123"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ARN).hasMessageContaining("not JSON").hasMessageNotContaining("plain-pw-123");
        assertThatThrownBy(() -> read(values, Map.of(), id -> "{\"user\":\"svc\",\"password\":\"pw-2\"}"))
                .hasMessageContaining("no text field 'username'").hasMessageNotContaining("pw-2");
        assertThatThrownBy(() -> read(values, Map.of(), id -> {
            throw new Secrets.SecretUnavailableException("no such secret");
        })).isInstanceOf(ConfigException.class).hasMessageContaining("'kafka.auth.secret-id'").hasMessageContaining("no such secret");
    }

    @Test
    void theSecretIsReadFromSecretsManagerAtTheConfiguredEndpoint() throws Exception {
        String previousKey = System.getProperty("aws.accessKeyId");
        String previousSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        try (SecretsManagerStub stub = new SecretsManagerStub(ARN, "{\"username\":\"svc\",\"password\":\"pw-3\"}")) {
            Map<String, String> values = Map.of("kafka.auth", "scram-sha-512", "kafka.auth.secret-id", ARN,
                    "kafka.auth.secret-endpoint", stub.endpoint().toString());
            ConfigValues reader = new ConfigValues(values);
            KafkaAuth auth = KafkaAuth.from(reader, Map.of(), Map.of());

            assertThat(auth.password()).isEqualTo("pw-3");
            assertThat(stub.received()).singleElement().satisfies(request -> {
                assertThat(request.headers()).containsEntry("x-amz-target", "secretsmanager.GetSecretValue");
                assertThat(request.body()).isEqualTo("{\"SecretId\":\"" + ARN + "\"}");
                assertThat(request.headers().get("authorization")).contains("/eu-west-1/secretsmanager/aws4_request");
            });

            String missing = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_gone-XyZ123";
            Map<String, String> gone = Map.of("kafka.auth", "scram-sha-512", "kafka.auth.secret-id", missing,
                    "kafka.auth.secret-endpoint", stub.endpoint().toString());
            assertThatThrownBy(() -> KafkaAuth.from(new ConfigValues(gone), Map.of(), Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'kafka.auth.secret-id'").hasMessageContaining(missing).hasMessageContaining("ResourceNotFoundException");
        } finally {
            restore("aws.accessKeyId", previousKey);
            restore("aws.secretAccessKey", previousSecret);
        }
    }

    @Test
    void iamUsesMsksLoginModuleAndCallbackHandler() {
        KafkaAuth auth = read(Map.of("kafka.auth", "iam"), Map.of());
        assertThat(auth.clientProperties()).containsExactly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "AWS_MSK_IAM"),
                Map.entry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;"),
                Map.entry("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
        assertThat(auth.describe()).isEqualTo("kafka.auth = iam: AWS_MSK_IAM with credentials from the default AWS chain");

        KafkaAuth role = read(Map.of("kafka.auth", "iam", "kafka.auth.iam.role-arn", "arn:aws:iam::123456789012:role/msk-client",
                "kafka.auth.iam.role-session-name", "telemetry"), Map.of());
        assertThat(role.clientProperties()).containsEntry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required "
                + "awsRoleArn=\"arn:aws:iam::123456789012:role/msk-client\" awsRoleSessionName=\"telemetry\";");
        KafkaAuth profile = read(Map.of("kafka.auth", "iam", "kafka.auth.iam.profile", "msk_client"), Map.of());
        assertThat(profile.clientProperties()).containsEntry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required awsProfileName=\"msk_client\";");

        assertThatThrownBy(() -> read(Map.of("kafka.auth", "iam", "kafka.auth.iam.role-arn", "msk-client"), Map.of()))
                .hasMessageContaining("'kafka.auth.iam.role-arn'").hasMessageContaining("'msk-client'");
        assertThatThrownBy(() -> read(Map.of("kafka.auth", "iam", "kafka.auth.iam.role-session-name", "s"), Map.of()))
                .hasMessageContaining("kafka.auth.iam.role-arn");
    }

    @Test
    void aTruststoreIsAPemFileOfCaCertificates() {
        Map<String, String> values = scram();
        values.put("kafka.truststore.location", "/etc/tributary/ca.pem");
        KafkaAuth auth = read(values, Map.of("TRIBUTARY_KAFKA_PASSWORD", "x1"));
        assertThat(auth.clientProperties()).containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.truststore.location", "/etc/tributary/ca.pem");
    }

    @Test
    void settingsOfAnotherMechanismAndConflictingPassThroughPropertiesAreRefused() {
        assertThatThrownBy(() -> read(Map.of("kafka.auth.username", "tributary"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kafka.auth.username'").hasMessageContaining("kafka.auth is none");
        assertThatThrownBy(() -> read(Map.of("kafka.auth", "scram-sha-512", "kafka.auth.iam.profile", "p"), Map.of()))
                .hasMessageContaining("'kafka.auth.iam.profile'");
        assertThatThrownBy(() -> read(Map.of("kafka.auth", "kerberos"), Map.of()))
                .hasMessageContaining("'kerberos'").hasMessageContaining("'kafka.auth'").hasMessageContaining("none, scram-sha-512, iam");

        Map<String, String> conflict = scram();
        conflict.put("kafka.property.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"pw-4\";");
        assertThatThrownBy(() -> read(conflict, Map.of("TRIBUTARY_KAFKA_PASSWORD", "x1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kafka.property.sasl.jaas.config'")
                .hasMessageContaining("kafka.auth=scram-sha-512").hasMessageNotContaining("pw-4");
        Map<String, String> truststore = new HashMap<>(Map.of("kafka.truststore.location", "/ca.pem", "kafka.property.ssl.truststore.location", "/other.jks"));
        assertThatThrownBy(() -> read(truststore, Map.of())).hasMessageContaining("'kafka.property.ssl.truststore.location'");
        // Without kafka.auth, security set by hand passes through as before.
        assertThat(read(Map.of("kafka.property.sasl.jaas.config", "x", "kafka.property.security.protocol", "SASL_SSL"), Map.of()).clientProperties()).isEmpty();
    }

    @Test
    void anUnknownKeyNeverShowsASecretLookingValue() {
        ConfigValues reader = new ConfigValues(Map.of("kafka.auth.password", "pw-5"));
        assertThatThrownBy(() -> reader.requireKnown(KafkaAuth.KEYS)).hasMessageContaining("'kafka.auth.password'").hasMessageNotContaining("pw-5");
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }
}
