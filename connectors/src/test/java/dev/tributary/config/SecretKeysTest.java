package dev.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one predicate for secrets: what it masks, what it leaves readable, and how it masks a URL. */
class SecretKeysTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "capture.database.password", "ssl.key.password", "ssl.keystore.password", "PASSWORD",
            "db.passwd", "lake.s3.secret-access-key", "s3.secret-access-key", "client.secret", "aws.secretAccessKey",
            "credential", "catalog.property.credential", "rest.credentials-provider", "token", "catalog.property.token",
            "s3.session-token", "gcs.oauth2.token", "adls.sas-token.account", "kafka.property.sasl.jaas.config", "sasl.jaas.config",
            "lake.s3.access-key-id", "s3.access-key-id", "aws.accessKeyId", "fs.s3a.access.key", "AWS_ACCESS_KEY_ID",
            "ssl.keystore.key", "ssl.key", "tls.private-key", "private_key", "datadog.api-key", "service.apikey",
            "adls.connection-string.account", "basic.auth.user.info", "alerts.webhook.url", "notifications.WEBHOOK"})
    void secretKeys(String key) {
        assertThat(SecretKeys.isSecret(key)).as(key).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "kafka.bootstrap-servers", "kafka.auth", "kafka.auth.secret-id", "kafka.auth.password-env", "capture.database.password-env", "kafka.auth.username", "kafka.truststore.location", "security.protocol",
            "sasl.mechanism", "key.serializer", "ssl.truststore.type", "capture.database.user", "capture.database.hostname",
            "catalog.uri", "catalog.warehouse", "lake.s3.endpoint", "s3.path-style-access", "s3.sse.type", "alerts.sns.topic-arn",
            "alerts.dataschema", "mirror.tables", "topic.alerts", "keyspace", "primary.key.columns", "monkey"})
    void ordinaryKeys(String key) {
        assertThat(SecretKeys.isSecret(key)).as(key).isFalse();
    }

    @Test
    void secretValuesAreMaskedAndASecretUrlKeepsOnlyItsSchemeHostAndPort() {
        assertThat(SecretKeys.shown("capture.database.password", "pw-123")).isEqualTo("******");
        assertThat(SecretKeys.shown("capture.database.user", "fleet")).isEqualTo("fleet");
        assertThat(SecretKeys.shown("alerts.webhook.url", "https://hooks.example.com/services/T0/B0/XyZ?token=abc"))
                .isEqualTo("https://hooks.example.com/******");
        assertThat(SecretKeys.shown("alerts.webhook.url", "http://user:pw@127.0.0.1:8443/hook#frag"))
                .isEqualTo("http://127.0.0.1:8443/******");
        assertThat(SecretKeys.shown("alerts.webhook.url", "not a url with pw")).isEqualTo("******");
        assertThat(SecretKeys.maskUrl("https:/// broken")).isEqualTo("******");
        assertThat(SecretKeys.shown("catalog.property.token", "https://looks.like/a/url")).isEqualTo("https://looks.like/******");
        assertThat(SecretKeys.shown("any.password", null)).isNull();

        Map<String, String> values = new LinkedHashMap<>();
        values.put("s3.endpoint", "http://127.0.0.1:9000");
        values.put("s3.secret-access-key", "sk-1");
        assertThat(SecretKeys.shown(values)).containsExactly(Map.entry("s3.endpoint", "http://127.0.0.1:9000"), Map.entry("s3.secret-access-key", "******"));
    }

    @Test
    void aMessageQuotingTheUrlOrItsPathLosesThem() {
        URI url = URI.create("https://hooks.example.com/services/T0SECRET?token=abc123");
        assertThat(SecretKeys.withoutUrl("POST " + url + " failed", url)).isEqualTo("POST https://hooks.example.com/****** failed");
        assertThat(SecretKeys.withoutUrl("GET /services/T0SECRET?token=abc123 HTTP/1.1 refused", url)).isEqualTo("GET /****** HTTP/1.1 refused");
        assertThat(SecretKeys.withoutUrl("path /services/T0SECRET only", url)).doesNotContain("T0SECRET");
    }

    @Test
    void anInvalidSecretValueIsNotQuotedInTheError() {
        assertThat(new ConfigException("alerts.webhook.url", "ftp://hooks.example.com/T0SECRET", "expected an http or https URL"))
                .hasMessage("Invalid value 'ftp://hooks.example.com/******' for key 'alerts.webhook.url': expected an http or https URL");
        assertThat(new ConfigException("capture.database.password", "pw 1", "expected no spaces")).hasMessageNotContaining("pw 1");
        assertThat(new ConfigException("capture.database.port", "x", "expected a number")).hasMessageContaining("'x'");
    }
}
