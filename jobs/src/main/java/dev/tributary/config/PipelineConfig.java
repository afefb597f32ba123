package dev.tributary.config;

import static java.util.Objects.requireNonNull;

import dev.tributary.alerts.NotificationConfig;
import dev.tributary.alerts.Rule;
import dev.tributary.alerts.RuleSet;
import dev.tributary.anomaly.AnomalyConfig;
import dev.tributary.kafka.KafkaAuth;
import dev.tributary.schema.SchemaChangeConfig;
import dev.tributary.telemetry.ReadingLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The typed configuration of a pipeline, read from flat keys (a properties file, {@code --set}
 * options, or the environment) and validated once, at start-up. Every error names the key and
 * the value. {@link #describe()} lists the effective values; secrets never appear in it.
 *
 * <p>Keys and defaults are documented in README.md ("Configuration").
 */
public record PipelineConfig(
        String pipelineName,
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        KafkaAuth kafkaAuth,
        String telemetryTopic,
        String enrichedTopic,
        String alertsTopic,
        String deadLetterTopic,
        Pattern cdcTopicPattern,
        StartingOffsets startingOffsets,
        boolean bounded,
        String consumerGroupId,
        LakeConfig lake,
        int parallelism,
        Duration checkpointInterval,
        Duration outOfOrderness,
        Duration idleness,
        Duration enrichmentMaxWait,
        ReadingLimits readingLimits,
        DriftConfig drift,
        RuleSet rules,
        NotificationConfig notifications,
        MirrorConfig mirror,
        AnomalyConfig anomaly,
        SchemaChangeConfig schemaChanges,
        KinesisConfig kinesis) implements java.io.Serializable {

    public static final String KAFKA_PROPERTY_PREFIX = "kafka.property.";
    /** The rule {@code rules.headlights.min-duration} sets the duration of. */
    public static final String HEADLIGHTS = "headlights_left_on";

    /** Where a job starts reading when it has no checkpoint. */
    public enum StartingOffsets { EARLIEST, LATEST, COMMITTED }

    public PipelineConfig {
        requireNonNull(pipelineName, "pipelineName is null");
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        kafkaProperties = Collections.unmodifiableMap(new LinkedHashMap<>(kafkaProperties));
        requireNonNull(kafkaAuth, "kafkaAuth is null");
        requireNonNull(lake, "lake is null");
        requireNonNull(mirror, "mirror is null");
        requireNonNull(anomaly, "anomaly is null");
        requireNonNull(schemaChanges, "schemaChanges is null");
        requireNonNull(rules, "rules is null");
        requireNonNull(notifications, "notifications is null");
        requireNonNull(drift, "drift is null");
        requireNonNull(kinesis, "kinesis is null");
        requireNonNull(readingLimits, "readingLimits is null");
        if (kinesis.source() == KinesisConfig.Source.KINESIS && bounded) {
            throw new ConfigException("source.bounded", "true", "a Kinesis stream has no end to stop at (telemetry.source=kinesis); bounded runs read Kafka");
        }
        if (lake.writer() == LakeConfig.Writer.FLINK_SINK) {
            if (drift.enabled() && drift.onFieldAdded() == DriftConfig.OnFieldAdded.EVOLVE) {
                throw new ConfigException("lake.writer", "flink-sink", "the FlinkSink writes the schema the table has when the job starts, so added "
                        + "fields cannot evolve it: set drift.on-field-added=quarantine or reject, or lake.writer=dynamic-sink");
            }
            if (lake.arrays() == LakeConfig.ArrayLayout.CHILD_TABLE) {
                throw new ConfigException("lake.writer", "flink-sink", "child tables (lake.arrays=child-table) need lake.writer=dynamic-sink");
            }
        }
    }

    /** Every key this class reads, for unknown-key detection. */
    private static final Set<String> KEYS = Set.of(
            "pipeline.name", "kafka.bootstrap-servers", "topic.prefix", "topic.telemetry", "topic.enriched",
            "topic.alerts", "topic.dlq", "topic.cdc-pattern", "source.starting-offsets", "source.bounded",
            "source.group-id", "job.parallelism",
            "checkpoint.interval", "watermark.out-of-orderness", "watermark.idleness", "enrichment.max-wait",
            "telemetry.max-event-bytes", "telemetry.max-future-skew", "telemetry.max-event-age", "rules.file", "rules.headlights.min-duration",
            "mirror.tables", "mirror.namespace", "mirror.table-naming", "mirror.on-incompatible-change", "topic.mirror-dlq",
            "topic.schema-changes", "maintenance.interval", "maintenance.min-files", "maintenance.snapshot-retention",
            "mirror.cdc-metadata");

    /** The configuration of a properties file with {@code overrides} on top; secrets from this process's environment. */
    public static PipelineConfig fromFile(Path file, Map<String, String> overrides) throws IOException {
        return from(ConfigValues.load(file, overrides));
    }

    /** The configuration of {@code values}; secrets from this process's environment (or AWS Secrets Manager). */
    public static PipelineConfig from(Map<String, String> values) {
        return from(values, System.getenv());
    }

    /** The configuration of {@code values}, looking up {@code kafka.auth.password-env} in {@code environment}. */
    public static PipelineConfig from(Map<String, String> values, Map<String, String> environment) {
        ConfigValues reader = new ConfigValues(values);
        Set<String> known = new java.util.HashSet<>(KEYS);
        known.addAll(KafkaAuth.KEYS);
        known.addAll(AnomalyConfig.KEYS);
        known.addAll(NotificationConfig.KEYS);
        known.addAll(SchemaChangeConfig.KEYS);
        known.addAll(DriftConfig.KEYS);
        known.addAll(KinesisConfig.KEYS);
        known.addAll(LakeConfig.KEYS);
        reader.requireKnown(known, KAFKA_PROPERTY_PREFIX, KinesisConfig.PROPERTY_PREFIX, LakeConfig.CATALOG_PROPERTY_PREFIX);
        String pipeline = reader.string("pipeline.name", "fleet");
        if (!pipeline.matches("[a-z0-9][a-z0-9-]*")) {
            throw new ConfigException("pipeline.name", pipeline, "expected lower-case letters, digits and dashes");
        }
        String prefix = reader.string("topic.prefix", "fleet");
        Map<String, String> kafkaProperties = reader.withPrefix(KAFKA_PROPERTY_PREFIX);
        String cdcPattern = reader.string("topic.cdc-pattern", Pattern.quote(prefix + ".cdc.") + ".+");
        Pattern compiled;
        try {
            compiled = Pattern.compile(cdcPattern);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("topic.cdc-pattern", cdcPattern, "expected a Java regular expression (" + e.getDescription() + ")");
        }
        String rulesFile = reader.string("rules.file", null);
        RuleSet rules = rulesFile == null ? RuleSet.bundled() : RuleSet.load(Path.of(rulesFile));
        if (values.containsKey("rules.headlights.min-duration")) {
            rules = rules.withHoldFor(HEADLIGHTS, reader.positiveDuration("rules.headlights.min-duration", "5m"));
        }
        return new PipelineConfig(
                pipeline,
                reader.required("kafka.bootstrap-servers"),
                kafkaProperties,
                KafkaAuth.from(reader, kafkaProperties, environment),
                reader.string("topic.telemetry", prefix + ".telemetry.raw"),
                reader.string("topic.enriched", prefix + ".telemetry.enriched"),
                reader.string("topic.alerts", prefix + ".alerts"),
                reader.string("topic.dlq", prefix + ".telemetry.dlq"),
                compiled,
                reader.choice("source.starting-offsets", StartingOffsets.class, StartingOffsets.EARLIEST),
                reader.bool("source.bounded", false),
                reader.string("source.group-id", "tributary-" + pipeline + "-telemetry"),
                LakeConfig.from(reader),
                reader.positiveInt("job.parallelism", 2),
                reader.positiveDuration("checkpoint.interval", "10s"),
                reader.duration("watermark.out-of-orderness", "5s"),
                reader.positiveDuration("watermark.idleness", "30s"),
                reader.duration("enrichment.max-wait", "10s"),
                new ReadingLimits(reader.positiveInt("telemetry.max-event-bytes", 256 * 1024),
                        reader.positiveDuration("telemetry.max-future-skew", Durations.format(ReadingLimits.DEFAULT_MAX_FUTURE_SKEW)),
                        reader.positiveDuration("telemetry.max-event-age", Durations.format(ReadingLimits.DEFAULT_MAX_EVENT_AGE))),
                DriftConfig.from(reader),
                rules,
                NotificationConfig.from(reader, reader.string("topic.alerts", prefix + ".alerts")),
                new MirrorConfig(
                        reader.list("mirror.tables"),
                        reader.string("mirror.namespace", reader.string("lake.namespace", "fleet")),
                        reader.choice("mirror.table-naming", MirrorConfig.TableNaming.class, MirrorConfig.TableNaming.TABLE),
                        reader.choice("mirror.on-incompatible-change", MirrorConfig.IncompatibleChangePolicy.class, MirrorConfig.IncompatibleChangePolicy.CONTINUE),
                        reader.string("topic.mirror-dlq", prefix + ".mirror.dlq"),
                        reader.string("topic.schema-changes", prefix + ".schema-changes"),
                        reader.duration("maintenance.interval", "5m"),
                        reader.positiveInt("maintenance.min-files", 16),
                        reader.positiveDuration("maintenance.snapshot-retention", "1h"),
                        reader.bool("mirror.cdc-metadata", true)),
                AnomalyConfig.from(reader),
                SchemaChangeConfig.from(reader, reader.string("topic.schema-changes", prefix + ".schema-changes")),
                KinesisConfig.from(reader));
    }

    /**
     * The properties every Kafka client of the jobs gets: the authentication's ({@code kafka.auth},
     * {@code kafka.truststore.*}), then the user's {@code kafka.property.*} (which may not set the same keys).
     */
    public Map<String, String> kafkaClientProperties() {
        return kafkaAuth.clientProperties(kafkaProperties);
    }

    /** {@code telemetry.max-event-bytes}. */
    public int maxEventBytes() {
        return readingLimits.maxEventBytes();
    }

    /** Every topic alerts may go to under the routing: one, one per severity, or one per rule and the statistical detector. */
    public List<String> alertTopics() {
        List<String> topics = new ArrayList<>();
        switch (notifications.routing()) {
            case SINGLE -> topics.add(alertsTopic);
            case SEVERITY -> {
                topics.add(notifications.topicFor(alertsTopic, "", Rule.WARNING));
                topics.add(notifications.topicFor(alertsTopic, "", Rule.ALARM));
            }
            case TYPE -> {
                rules.rules().forEach(rule -> topics.add(notifications.topicFor(alertsTopic, rule.name(), "")));
                topics.add(notifications.topicFor(alertsTopic, dev.tributary.anomaly.EntityDetectors.TYPE, ""));
            }
        }
        return topics;
    }

    /** The effective configuration, one {@code key = value} per line, with secrets masked. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("pipeline.name = ").append(pipelineName).append('\n');
        out.append("kafka.bootstrap-servers = ").append(bootstrapServers).append('\n');
        out.append(kafkaAuth.describe()).append('\n');
        kafkaProperties.forEach((key, value) -> out.append(KAFKA_PROPERTY_PREFIX).append(key).append(" = ")
                .append(SecretKeys.shown(key, value)).append('\n'));
        if (notifications.webhookUrl() != null) {
            out.append("alerts.webhook.url = ").append(SecretKeys.maskUrl(notifications.webhookUrl())).append('\n');
        }
        out.append("topics = ").append(String.join(", ", telemetryTopic, enrichedTopic, alertsTopic, deadLetterTopic)).append('\n');
        out.append("topic.cdc-pattern = ").append(cdcTopicPattern.pattern()).append('\n');
        if (kinesis.source() == KinesisConfig.Source.KINESIS) {
            out.append("telemetry.source = kinesis ").append(kinesis.streamArn()).append(kinesis.endpoint() == null ? "" : " at " + kinesis.endpoint()).append('\n');
        }
        kinesis.properties().forEach((key, value) -> out.append(KinesisConfig.PROPERTY_PREFIX).append(key).append(" = ")
                .append(SecretKeys.shown(key, value)).append('\n'));
        out.append("lake = ").append(lake.catalogType().name().toLowerCase(Locale.ROOT)).append(' ')
                .append(lake.warehouse()).append(' ').append(lake.namespace()).append('.').append(lake.telemetryTable()).append('\n');
        lake.catalogProperties().forEach((key, value) -> out.append("catalog property ").append(key).append(" = ")
                .append(SecretKeys.shown(key, value)).append('\n'));
        out.append("job.parallelism = ").append(parallelism).append(", checkpoint.interval = ").append(Durations.format(checkpointInterval)).append('\n');
        return out.toString();
    }

    /** The description: a record's own {@code toString} would print the password and the pass-through's secrets. */
    @Override
    public String toString() {
        return "PipelineConfig[\n" + describe() + "]";
    }
}
