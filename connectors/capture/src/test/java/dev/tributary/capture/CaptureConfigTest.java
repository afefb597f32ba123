package dev.tributary.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.config.ConfigException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CaptureConfigTest {
    private static Map<String, String> minimal(String type) {
        Map<String, String> values = new HashMap<>();
        values.put("capture.database.type", type);
        values.put("capture.database.user", "tributary");
        values.put("capture.database.name", "fleet");
        values.put("capture.tables", "public.vehicles, public.devices");
        values.put("capture.state-dir", "/tmp/capture");
        values.put("kafka.bootstrap-servers", "localhost:9092");
        return values;
    }

    @Test
    void postgresCapturesWithPgoutputIntoDebeziumsTopicNames() {
        CaptureConfig config = CaptureConfig.from(minimal("postgres"), Map.of("TRIBUTARY_CAPTURE_PASSWORD", "s3cret"));
        Properties debezium = config.debeziumProperties();
        assertThat(debezium.getProperty("connector.class")).isEqualTo("io.debezium.connector.postgresql.PostgresConnector");
        assertThat(debezium.getProperty("plugin.name")).isEqualTo("pgoutput");
        assertThat(debezium.getProperty("topic.prefix")).isEqualTo("fleet.cdc");
        assertThat(debezium.getProperty("table.include.list")).isEqualTo("public.vehicles,public.devices");
        assertThat(debezium.getProperty("slot.name")).isEqualTo("tributary_tributary");
        assertThat(debezium.getProperty("database.password")).isEqualTo("s3cret");
        assertThat(debezium.getProperty("offset.storage.file.filename")).isEqualTo("/tmp/capture/tributary.offsets");
        assertThat(config.port()).isEqualTo(5432);
        assertThat(config.describe()).doesNotContain("s3cret");
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void binlogDatabasesKeepASchemaHistoryAndCanKeepOffsetsInKafka() {
        Map<String, String> values = minimal("mariadb");
        values.put("capture.tables", "fleet.vehicles");
        values.put("capture.offset-store", "kafka");
        values.put("debezium.snapshot.fetch.size", "5000");
        Properties debezium = CaptureConfig.from(values, Map.of()).debeziumProperties();
        assertThat(debezium.getProperty("connector.class")).isEqualTo("io.debezium.connector.mariadb.MariaDbConnector");
        assertThat(debezium.getProperty("database.include.list")).isEqualTo("fleet");
        assertThat(debezium.getProperty("offset.storage")).isEqualTo("org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        assertThat(debezium.getProperty("schema.history.internal")).isEqualTo("io.debezium.storage.kafka.history.KafkaSchemaHistory");
        assertThat(debezium.getProperty("schema.history.internal.kafka.topic")).isEqualTo("_tributary.capture.tributary.schema-history");
        assertThat(debezium.getProperty("snapshot.fetch.size")).as("debezium.* passes through").isEqualTo("5000");
    }

    @Test
    void kafkaAuthenticationReachesTheProducerAndDebeziumsKafkaClients() {
        Map<String, String> values = minimal("mariadb");
        values.put("capture.tables", "fleet.vehicles");
        values.put("capture.offset-store", "kafka");
        values.put("kafka.auth", "scram-sha-512");
        values.put("kafka.auth.username", "capture");
        values.put("kafka.truststore.location", "/etc/tributary/ca.pem");
        values.put("kafka.property.client.dns.lookup", "use_all_dns_ips");
        CaptureConfig config = CaptureConfig.from(values, Map.of("TRIBUTARY_KAFKA_PASSWORD", "kafka-pw-8", "TRIBUTARY_CAPTURE_PASSWORD", "db-pw-9"));

        assertThat(config.kafkaClientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/tributary/ca.pem").containsEntry("client.dns.lookup", "use_all_dns_ips");
        Properties debezium = config.debeziumProperties();
        // Kafka Connect's offset store reads its clients' settings from the top level, the schema history from its prefixes.
        for (String prefix : new String[] {"", "schema.history.internal.producer.", "schema.history.internal.consumer."}) {
            assertThat(debezium.getProperty(prefix + "security.protocol")).as(prefix).isEqualTo("SASL_SSL");
            assertThat(debezium.getProperty(prefix + "sasl.mechanism")).as(prefix).isEqualTo("SCRAM-SHA-512");
            assertThat(debezium.getProperty(prefix + "sasl.jaas.config")).as(prefix).contains("username=\"capture\"").contains("kafka-pw-8");
            assertThat(debezium.getProperty(prefix + "ssl.truststore.type")).as(prefix).isEqualTo("PEM");
        }
        assertThat(config.describe()).contains("SCRAM-SHA-512 as user 'capture'").doesNotContain("kafka-pw-8").doesNotContain("db-pw-9");
        assertThat(config.toString()).doesNotContain("kafka-pw-8").doesNotContain("db-pw-9");

        // With offsets in files, Debezium opens no Kafka client and gets no Kafka settings.
        values.put("capture.offset-store", "file");
        assertThat(CaptureConfig.from(values, Map.of("TRIBUTARY_KAFKA_PASSWORD", "kafka-pw-8")).debeziumProperties()).doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void badValuesNameTheKeyAndTheValue() {
        Map<String, String> values = minimal("oracle");
        assertThatThrownBy(() -> CaptureConfig.from(values, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'oracle'").hasMessageContaining("capture.database.type");
        Map<String, String> tables = minimal("postgres");
        tables.put("capture.tables", "vehicles");
        assertThatThrownBy(() -> CaptureConfig.from(tables, Map.of())).hasMessageContaining("capture.tables");
        Map<String, String> unknown = minimal("postgres");
        unknown.put("capture.tabels", "x.y");
        assertThatThrownBy(() -> CaptureConfig.from(unknown, Map.of())).hasMessageContaining("Unknown configuration key 'capture.tabels'");
        Map<String, String> missing = minimal("postgres");
        missing.remove("capture.state-dir");
        assertThatThrownBy(() -> CaptureConfig.from(missing, Map.of())).hasMessageContaining("capture.state-dir");
    }
}
