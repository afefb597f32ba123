package dev.tributary.kafka;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.config.ConfigException;
import dev.tributary.config.ConfigValues;
import dev.tributary.config.Secrets;
import dev.tributary.config.SecretsManagerSecrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How every Kafka client of a pipeline or a capture service authenticates, from the
 * {@code kafka.auth*} and {@code kafka.truststore.*} keys, checked at start-up:
 * <ul>
 *   <li>{@code none} (the default): the clients add nothing; {@code kafka.property.*} may still
 *       configure security by hand;
 *   <li>{@code scram-sha-512}: SASL/SCRAM over TLS, as Amazon MSK offers it. The password comes from
 *       an environment variable, or user and password from an AWS Secrets Manager secret in MSK's
 *       format ({@code {"username": ..., "password": ...}});
 *   <li>{@code iam}: Amazon MSK IAM access control (SASL mechanism {@code AWS_MSK_IAM}, the
 *       {@code aws-msk-iam-auth} login module), with credentials from the default AWS chain, a
 *       profile, or a role to assume.
 * </ul>
 * The security properties this sets may not also be set through {@code kafka.property.*}: such a
 * conflict is refused, rather than one silently winning. The password is never in
 * {@link #toString()}, {@link #describe()} or an error message.
 *
 * @param password the SCRAM password, or null; never printed
 * @param passwordSource where the password came from, for messages (an environment variable, a secret), or null
 * @param truststoreLocation a PEM file of the CA certificates to trust, or null for the JVM's (MSK's certificates are publicly trusted)
 */
public record KafkaAuth(
        Mechanism mechanism,
        String username,
        String password,
        String passwordSource,
        String iamRoleArn,
        String iamRoleSessionName,
        String iamProfile,
        String truststoreLocation) implements java.io.Serializable {

    public static final String DEFAULT_PASSWORD_VARIABLE = "TRIBUTARY_KAFKA_PASSWORD";
    public static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    public static final String IAM_LOGIN_MODULE = "software.amazon.msk.auth.iam.IAMLoginModule";
    public static final String IAM_CALLBACK_HANDLER = "software.amazon.msk.auth.iam.IAMClientCallbackHandler";

    /** Every key this class reads. */
    public static final Set<String> KEYS = Set.of("kafka.auth", "kafka.auth.username", "kafka.auth.password-env", "kafka.auth.secret-id",
            "kafka.auth.secret-region", "kafka.auth.secret-endpoint", "kafka.auth.iam.role-arn", "kafka.auth.iam.role-session-name",
            "kafka.auth.iam.profile", "kafka.truststore.location");

    private static final List<String> SCRAM_KEYS = List.of("kafka.auth.username", "kafka.auth.password-env", "kafka.auth.secret-id",
            "kafka.auth.secret-region", "kafka.auth.secret-endpoint");
    private static final List<String> IAM_KEYS = List.of("kafka.auth.iam.role-arn", "kafka.auth.iam.role-session-name", "kafka.auth.iam.profile");
    /** Kafka client properties an authentication mechanism sets; {@code kafka.property.*} may not set them too. */
    private static final List<String> SASL_PROPERTIES = List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config",
            "sasl.client.callback.handler.class", "sasl.login.callback.handler.class", "sasl.login.class");
    private static final List<String> TRUSTSTORE_PROPERTIES = List.of("ssl.truststore.location", "ssl.truststore.type",
            "ssl.truststore.password", "ssl.truststore.certificates");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the clients authenticate; written in configuration as {@code none}, {@code scram-sha-512}, {@code iam}. */
    public enum Mechanism {
        NONE(null),
        SCRAM_SHA_512("SCRAM-SHA-512"),
        IAM("AWS_MSK_IAM");

        private final String saslName;

        Mechanism(String saslName) {
            this.saslName = saslName;
        }

        /** The SASL mechanism's name ({@code sasl.mechanism}), or null for none. */
        public String saslName() {
            return saslName;
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public KafkaAuth {
        requireNonNull(mechanism, "mechanism is null");
        if (mechanism == Mechanism.SCRAM_SHA_512) {
            requireNonNull(username, "username is null");
            requireNonNull(password, "password is null");
            requireNonNull(passwordSource, "passwordSource is null");
        } else if (username != null || password != null) {
            throw new IllegalArgumentException("a user and password are for SCRAM only, not " + mechanism.configName());
        }
    }

    /** No authentication, the JVM's truststore. */
    public static KafkaAuth none() {
        return new KafkaAuth(Mechanism.NONE, null, null, null, null, null, null, null);
    }

    /**
     * Reads and checks the keys; a secret in AWS Secrets Manager is read now.
     *
     * @param userProperties the {@code kafka.property.*} pass-through, checked for conflicts
     * @param environment where {@code kafka.auth.password-env} is looked up
     */
    public static KafkaAuth from(ConfigValues reader, Map<String, String> userProperties, Map<String, String> environment) {
        return from(reader, userProperties, environment, null);
    }

    /** As {@link #from(ConfigValues, Map, Map)}, reading secrets from {@code secrets} (null: AWS Secrets Manager as configured). */
    public static KafkaAuth from(ConfigValues reader, Map<String, String> userProperties, Map<String, String> environment, Secrets secrets) {
        Mechanism mechanism = reader.choice("kafka.auth", Mechanism.class, Mechanism.NONE);
        refuseKeysOfOtherMechanisms(reader, mechanism);
        String truststore = reader.string("kafka.truststore.location", null);
        refuseConflicts(userProperties, mechanism == Mechanism.NONE ? List.of() : SASL_PROPERTIES,
                "kafka.auth=" + mechanism.configName() + " sets it");
        refuseConflicts(userProperties, truststore == null ? List.of() : TRUSTSTORE_PROPERTIES, "kafka.truststore.location sets it");
        switch (mechanism) {
            case SCRAM_SHA_512:
                return scram(reader, environment, secrets, truststore);
            case IAM:
                return iam(reader, truststore);
            default:
                return new KafkaAuth(Mechanism.NONE, null, null, null, null, null, null, truststore);
        }
    }

    private static KafkaAuth scram(ConfigValues reader, Map<String, String> environment, Secrets secrets, String truststore) {
        String secretId = reader.string("kafka.auth.secret-id", null);
        String configuredUser = reader.string("kafka.auth.username", null);
        if (secretId == null) {
            String user = reader.required("kafka.auth.username");
            String variable = reader.string("kafka.auth.password-env", DEFAULT_PASSWORD_VARIABLE);
            String password = environment.get(variable);
            if (password == null || password.isEmpty()) {
                throw new ConfigException("kafka.auth=scram-sha-512 needs the password of user '" + user + "': set the environment variable "
                        + variable + " (named by kafka.auth.password-env), or kafka.auth.secret-id to an AWS Secrets Manager secret");
            }
            return new KafkaAuth(Mechanism.SCRAM_SHA_512, user, password, "environment variable " + variable, null, null, null, truststore);
        }
        if (reader.isSet("kafka.auth.password-env")) {
            throw new ConfigException("kafka.auth.secret-id and kafka.auth.password-env both name where the password is: set one of them");
        }
        URI endpoint = endpoint(reader, "kafka.auth.secret-endpoint");
        String text;
        try {
            Secrets source = secrets != null ? secrets : SecretsManagerSecrets.forSecret(secretId, reader.string("kafka.auth.secret-region", null), endpoint);
            text = source.secretString(secretId);
        } catch (Secrets.SecretUnavailableException e) {
            throw new ConfigException("kafka.auth.secret-id", secretId, e.getMessage());
        }
        JsonNode secret = parseScramSecret(secretId, text);
        String user = secret.get("username").asText();
        if (configuredUser != null && !configuredUser.equals(user)) {
            throw new ConfigException("kafka.auth.username", configuredUser, "secret " + secretId + " is for user '" + user + "': drop the key or make them agree");
        }
        return new KafkaAuth(Mechanism.SCRAM_SHA_512, user, secret.get("password").asText(), "AWS Secrets Manager secret " + secretId,
                null, null, null, truststore);
    }

    /** MSK's SCRAM secret: a JSON object with a text {@code username} and {@code password}. Errors never quote the text. */
    private static JsonNode parseScramSecret(String secretId, String text) {
        String expected = "expected the secret to hold JSON {\"username\": ..., \"password\": ...}, as Amazon MSK's SCRAM secrets do";
        JsonNode secret;
        try {
            secret = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException("kafka.auth.secret-id", secretId, expected + " (it is not JSON)");
        }
        for (String field : List.of("username", "password")) {
            if (secret == null || !secret.path(field).isTextual() || secret.path(field).asText().isEmpty()) {
                throw new ConfigException("kafka.auth.secret-id", secretId, expected + " (no text field '" + field + "')");
            }
        }
        return secret;
    }

    private static KafkaAuth iam(ConfigValues reader, String truststore) {
        String role = reader.string("kafka.auth.iam.role-arn", null);
        if (role != null && !ROLE_ARN.matcher(role).matches()) {
            throw new ConfigException("kafka.auth.iam.role-arn", role, "expected an IAM role ARN such as arn:aws:iam::123456789012:role/msk-client");
        }
        String session = reader.string("kafka.auth.iam.role-session-name", null);
        if (session != null && role == null) {
            throw new ConfigException("kafka.auth.iam.role-session-name", session, "names the session of kafka.auth.iam.role-arn, which is not set");
        }
        String profile = reader.string("kafka.auth.iam.profile", null);
        if (profile != null && role != null) {
            throw new ConfigException("kafka.auth.iam.profile", profile, "set either a profile or kafka.auth.iam.role-arn, not both");
        }
        for (String[] option : new String[][] {{"kafka.auth.iam.role-arn", role}, {"kafka.auth.iam.role-session-name", session}, {"kafka.auth.iam.profile", profile}}) {
            if (option[1] != null && (option[1].contains("\"") || option[1].contains("\\") || option[1].contains(";"))) {
                throw new ConfigException(option[0], option[1], "expected no quotes, backslashes or semicolons");
            }
        }
        return new KafkaAuth(Mechanism.IAM, null, null, null, role, session, profile, truststore);
    }

    private static void refuseKeysOfOtherMechanisms(ConfigValues reader, Mechanism mechanism) {
        for (String key : SCRAM_KEYS) {
            if (mechanism != Mechanism.SCRAM_SHA_512 && reader.isSet(key)) {
                throw new ConfigException(key, reader.string(key, null), "is for kafka.auth=scram-sha-512, and kafka.auth is " + mechanism.configName());
            }
        }
        for (String key : IAM_KEYS) {
            if (mechanism != Mechanism.IAM && reader.isSet(key)) {
                throw new ConfigException(key, reader.string(key, null), "is for kafka.auth=iam, and kafka.auth is " + mechanism.configName());
            }
        }
    }

    private static void refuseConflicts(Map<String, String> userProperties, List<String> properties, String reason) {
        for (String property : properties) {
            if (userProperties.containsKey(property)) {
                throw new ConfigException("Configuration key 'kafka.property." + property + "' conflicts with the Kafka authentication settings ("
                        + reason + "): remove one of them");
            }
        }
    }

    /** The Kafka client properties of this authentication (security protocol, SASL, truststore); empty for none without a truststore. */
    public Map<String, String> clientProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        if (mechanism != Mechanism.NONE) {
            properties.put("security.protocol", "SASL_SSL");
            properties.put("sasl.mechanism", mechanism.saslName());
        }
        if (mechanism == Mechanism.SCRAM_SHA_512) {
            properties.put("sasl.jaas.config", SCRAM_LOGIN_MODULE + " required username=" + quoted(username) + " password=" + quoted(password) + ";");
        } else if (mechanism == Mechanism.IAM) {
            StringBuilder jaas = new StringBuilder(IAM_LOGIN_MODULE).append(" required");
            if (iamRoleArn != null) {
                jaas.append(" awsRoleArn=").append(quoted(iamRoleArn));
            }
            if (iamRoleSessionName != null) {
                jaas.append(" awsRoleSessionName=").append(quoted(iamRoleSessionName));
            }
            if (iamProfile != null) {
                jaas.append(" awsProfileName=").append(quoted(iamProfile));
            }
            properties.put("sasl.jaas.config", jaas.append(';').toString());
            properties.put("sasl.client.callback.handler.class", IAM_CALLBACK_HANDLER);
        }
        if (truststoreLocation != null) {
            properties.put("ssl.truststore.type", "PEM");
            properties.put("ssl.truststore.location", truststoreLocation);
        }
        return Collections.unmodifiableMap(properties);
    }

    /**
     * The properties of every Kafka client: these of the authentication, then the user's
     * {@code kafka.property.*} (which {@link #from} made sure set none of the same keys).
     */
    public Map<String, String> clientProperties(Map<String, String> userProperties) {
        Map<String, String> properties = new LinkedHashMap<>(clientProperties());
        properties.putAll(userProperties);
        return properties;
    }

    /** A JAAS option value: quoted, with quotes and backslashes escaped (Kafka's JAAS parser reads Java-style escapes). */
    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Who connects, for people: the mechanism and the user or the AWS credentials, and where the password came from. Never the password. */
    public String principal() {
        return switch (mechanism) {
            case NONE -> "no authentication";
            case SCRAM_SHA_512 -> "SCRAM-SHA-512 as user '" + username + "' (password from " + passwordSource + ")";
            case IAM -> "AWS_MSK_IAM with " + (iamRoleArn != null ? "role " + iamRoleArn + (iamRoleSessionName != null ? " (session " + iamRoleSessionName + ")" : "")
                    : iamProfile != null ? "AWS profile " + iamProfile : "credentials from the default AWS chain");
        };
    }

    /** One line for a configuration's description, with the password masked. */
    public String describe() {
        return "kafka.auth = " + mechanism.configName() + (mechanism == Mechanism.NONE ? "" : ": " + principal())
                + (truststoreLocation == null ? "" : ", trusting the CA certificates in " + truststoreLocation);
    }

    @Override
    public String toString() {
        return "KafkaAuth[" + describe() + "]";
    }

    /** The message of a failed authentication: mechanism, user, bootstrap servers, the broker's reason; never the password. */
    public String failureMessage(String bootstrapServers, String reason) {
        return "Kafka authentication failed: " + principal() + " at " + bootstrapServers + " was refused: " + reason;
    }

    static URI endpoint(ConfigValues reader, String key) {
        String text = reader.string(key, null);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (uri.isAbsolute() && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(key, text, "expected an absolute URL such as https://secretsmanager.eu-west-1.amazonaws.com");
    }
}
