package dev.tributary.capture;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.ConfigException;
import dev.tributary.config.ConfigValues;
import dev.tributary.kafka.KafkaAuth;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The typed configuration of one capture service: which database and tables, where the change
 * events go, and where offsets and schema history are kept. Read from flat keys and validated
 * once; every error names the key and the value. Keys are listed in README.md ("Capture").
 *
 * <p>Debezium's own properties can be set or overridden with the {@code debezium.} prefix
 * ({@code debezium.snapshot.fetch.size=5000}); Kafka client properties with
 * {@code kafka.property.}. Kafka authentication ({@code kafka.auth}, see {@link KafkaAuth}) applies to
 * every Kafka client of the service: the change producer, and Debezium's offset store and schema
 * history when they are kept in Kafka.
 *
 * @param tables the captured tables as {@code schema.table} (PostgreSQL) or {@code database.table}
 * @param password the database password; never printed
 */
public record CaptureConfig(
        String name,
        DatabaseKind kind,
        String hostname,
        int port,
        String user,
        String password,
        String database,
        List<String> tables,
        String topicPrefix,
        Path stateDirectory,
        OffsetStore offsetStore,
        Duration heartbeatInterval,
        String snapshotMode,
        int topicPartitions,
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        KafkaAuth kafkaAuth,
        Map<String, String> debeziumOverrides) {

    public static final String KAFKA_PROPERTY_PREFIX = "kafka.property.";
    public static final String DEBEZIUM_PREFIX = "debezium.";
    public static final String DEFAULT_PASSWORD_VARIABLE = "TRIBUTARY_CAPTURE_PASSWORD";

    /** Where Debezium keeps its source offsets (and, for binlog databases, its schema history). */
    public enum OffsetStore { FILE, KAFKA }

    private static final Set<String> KEYS = Set.of(
            "capture.name", "capture.database.type", "capture.database.hostname", "capture.database.port",
            "capture.database.user", "capture.database.password", "capture.database.password-env",
            "capture.database.name", "capture.tables", "capture.topic-prefix", "capture.state-dir",
            "capture.offset-store", "capture.heartbeat-interval", "capture.snapshot-mode",
            "capture.topic-partitions", "kafka.bootstrap-servers");

    public CaptureConfig {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(user, "user is null");
        requireNonNull(database, "database is null");
        tables = List.copyOf(tables);
        requireNonNull(topicPrefix, "topicPrefix is null");
        requireNonNull(stateDirectory, "stateDirectory is null");
        requireNonNull(offsetStore, "offsetStore is null");
        requireNonNull(heartbeatInterval, "heartbeatInterval is null");
        requireNonNull(snapshotMode, "snapshotMode is null");
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        kafkaProperties = Collections.unmodifiableMap(new LinkedHashMap<>(kafkaProperties));
        requireNonNull(kafkaAuth, "kafkaAuth is null");
        debeziumOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(debeziumOverrides));
    }

    public static CaptureConfig fromFile(Path file, Map<String, String> overrides, Map<String, String> environment) throws IOException {
        return from(ConfigValues.load(file, overrides), environment);
    }

    public static CaptureConfig from(Map<String, String> values, Map<String, String> environment) {
        ConfigValues reader = new ConfigValues(values);
        Set<String> known = new java.util.HashSet<>(KEYS);
        known.addAll(KafkaAuth.KEYS);
        reader.requireKnown(known, KAFKA_PROPERTY_PREFIX, DEBEZIUM_PREFIX);
        String name = reader.string("capture.name", "tributary");
        if (!name.matches("[a-z0-9][a-z0-9_]*")) {
            throw new ConfigException("capture.name", name, "expected lower-case letters, digits and underscores (it names the replication slot)");
        }
        DatabaseKind kind = reader.choice("capture.database.type", DatabaseKind.class, null);
        if (kind == null) {
            throw new ConfigException("Missing required configuration key 'capture.database.type'");
        }
        String passwordVariable = reader.string("capture.database.password-env", DEFAULT_PASSWORD_VARIABLE);
        Map<String, String> kafkaProperties = reader.withPrefix(KAFKA_PROPERTY_PREFIX);
        return new CaptureConfig(
                name,
                kind,
                reader.string("capture.database.hostname", "localhost"),
                reader.positiveInt("capture.database.port", kind.defaultPort()),
                reader.required("capture.database.user"),
                reader.string("capture.database.password", environment.get(passwordVariable)),
                reader.required("capture.database.name"),
                tables(reader.required("capture.tables")),
                reader.string("capture.topic-prefix", "fleet"),
                Path.of(reader.required("capture.state-dir")),
                reader.choice("capture.offset-store", OffsetStore.class, OffsetStore.FILE),
                reader.positiveDuration("capture.heartbeat-interval", "10s"),
                reader.string("capture.snapshot-mode", "initial"),
                reader.positiveInt("capture.topic-partitions", 1),
                reader.required("kafka.bootstrap-servers"),
                kafkaProperties,
                KafkaAuth.from(reader, kafkaProperties, environment),
                reader.withPrefix(DEBEZIUM_PREFIX));
    }

    /** The properties of every Kafka client of the service: the authentication's, then the user's {@code kafka.property.*}. */
    public Map<String, String> kafkaClientProperties() {
        return kafkaAuth.clientProperties(kafkaProperties);
    }

    /** The Debezium topic prefix: change events go to {@code <prefix>.cdc.<database>.<table>}. */
    public String debeziumTopicPrefix() {
        return topicPrefix + ".cdc";
    }

    public String jdbcUrl() {
        return kind.jdbcUrl(hostname, port, database);
    }

    public Path offsetsFile() {
        return stateDirectory.resolve(name + ".offsets");
    }

    public Path schemaHistoryFile() {
        return stateDirectory.resolve(name + ".schema-history");
    }

    /** Internal topics when offsets live in Kafka; outside the {@code <prefix>.cdc.} namespace of change topics. */
    public String offsetsTopic() {
        return "_tributary.capture." + name + ".offsets";
    }

    public String schemaHistoryTopic() {
        return "_tributary.capture." + name + ".schema-history";
    }

    /** The heartbeat topic Debezium writes to, which also moves offsets on while tables are quiet. */
    public String heartbeatTopic() {
        return "__debezium-heartbeat." + debeziumTopicPrefix();
    }

    /** The configuration of Debezium's embedded engine, with {@code debezium.*} overrides applied last. */
    public Properties debeziumProperties() {
        Properties properties = new Properties();
        properties.setProperty("name", "tributary-capture-" + name);
        properties.setProperty("connector.class", kind.connectorClass());
        properties.setProperty("topic.prefix", debeziumTopicPrefix());
        properties.setProperty("database.hostname", hostname);
        properties.setProperty("database.port", Integer.toString(port));
        properties.setProperty("database.user", user);
        if (password != null) {
            properties.setProperty("database.password", password);
        }
        properties.setProperty("table.include.list", String.join(",", tables));
        properties.setProperty("snapshot.mode", snapshotMode);
        properties.setProperty("heartbeat.interval.ms", Long.toString(heartbeatInterval.toMillis()));
        properties.setProperty("tombstones.on.delete", "true");
        properties.setProperty("decimal.handling.mode", "precise");
        properties.setProperty("offset.flush.interval.ms", "1000");
        if (kind == DatabaseKind.POSTGRES) {
            properties.setProperty("plugin.name", "pgoutput");
            properties.setProperty("database.dbname", database);
            properties.setProperty("slot.name", "tributary_" + name);
            properties.setProperty("publication.name", "tributary_" + name);
            properties.setProperty("publication.autocreate.mode", "filtered");
        } else {
            properties.setProperty("database.include.list", database);
            properties.setProperty("database.server.id", Integer.toString(5400 + Math.floorMod(name.hashCode(), 1000)));
            properties.setProperty("include.schema.changes", "true");
        }
        if (offsetStore == OffsetStore.FILE) {
            properties.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
            properties.setProperty("offset.storage.file.filename", offsetsFile().toString());
            properties.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
            properties.setProperty("schema.history.internal.file.filename", schemaHistoryFile().toString());
        } else {
            properties.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
            properties.setProperty("offset.storage.topic", offsetsTopic());
            properties.setProperty("offset.storage.partitions", "1");
            properties.setProperty("offset.storage.replication.factor", "-1");
            properties.setProperty("bootstrap.servers", bootstrapServers);
            properties.setProperty("schema.history.internal", "io.debezium.storage.kafka.history.KafkaSchemaHistory");
            properties.setProperty("schema.history.internal.kafka.topic", schemaHistoryTopic());
            properties.setProperty("schema.history.internal.kafka.bootstrap.servers", bootstrapServers);
            // Kafka Connect's offset store builds its clients from the engine's own properties; the schema
            // history from those under its producer and consumer prefixes.
            kafkaClientProperties().forEach((key, value) -> {
                properties.setProperty(key, value);
                properties.setProperty("schema.history.internal.producer." + key, value);
                properties.setProperty("schema.history.internal.consumer." + key, value);
            });
        }
        debeziumOverrides.forEach(properties::setProperty);
        return properties;
    }

    /** The configuration for people: every effective value, with the password masked. */
    public String describe() {
        return "capture " + name + ": " + kind.configName() + " " + user + "@" + hostname + ":" + port + "/" + database
                + " tables " + tables + " -> " + debeziumTopicPrefix() + ".<database>.<table> on " + bootstrapServers
                + " (" + kafkaAuth.describe() + ")"
                + ", offsets in " + (offsetStore == OffsetStore.FILE ? offsetsFile().toString() : "topic " + offsetsTopic());
    }

    @Override
    public String toString() {
        return describe();
    }

    private static List<String> tables(String value) {
        List<String> tables = new ArrayList<>();
        for (String table : value.split(",")) {
            String trimmed = table.trim();
            if (!trimmed.matches("[A-Za-z0-9_$]+\\.[A-Za-z0-9_$]+")) {
                throw new ConfigException("capture.tables", value, "expected a comma-separated list of <schema or database>.<table>");
            }
            tables.add(trimmed);
        }
        return tables;
    }
}
