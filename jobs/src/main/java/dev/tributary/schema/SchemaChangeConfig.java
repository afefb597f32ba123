package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import dev.tributary.alerts.SnsTopic;
import dev.tributary.config.ConfigValues;
import java.time.Duration;
import java.util.Set;

/**
 * How schema changes are reported besides their topic ({@code topic.schema-changes}). Keys and
 * defaults are in README.md ("Configuration"); SNS delivery retries as alerts do
 * ({@code alerts.delivery.*}).
 *
 * @param reportAfter processing time a new change is held after its first sighting, counting
 *     sightings, before it is reported once; zero reports it at once
 * @param sns the SNS topic each reported change is published to, or null
 * @param deadLetterTopic where a change goes that SNS still refuses after every attempt
 * @param table the lake table (in {@code lake.namespace}) each reported change is appended to
 */
public record SchemaChangeConfig(Duration reportAfter, SnsTopic sns, String deadLetterTopic, String table) implements java.io.Serializable {
    public static final Set<String> KEYS = Set.of("schema-changes.report-after", "schema-changes.sns.topic-arn", "schema-changes.sns.region",
            "schema-changes.sns.endpoint", "topic.schema-changes-dlq", "lake.schema-changes-table");

    public SchemaChangeConfig {
        requireNonNull(reportAfter, "reportAfter is null");
        requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        requireNonNull(table, "table is null");
    }

    public static SchemaChangeConfig from(ConfigValues reader, String schemaChangeTopic) {
        return new SchemaChangeConfig(
                reader.duration("schema-changes.report-after", "5s"),
                SnsTopic.from(reader, "schema-changes.sns"),
                reader.string("topic.schema-changes-dlq", schemaChangeTopic + ".dlq"),
                reader.string("lake.schema-changes-table", "schema_changes"));
    }
}
