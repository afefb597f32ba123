package dev.tributary.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.cdc.ConnectEnvelope;
import dev.tributary.config.PipelineConfig;
import dev.tributary.deadletter.DeadLetterSerializer;
import dev.tributary.lake.Catalogs;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import dev.tributary.schema.SchemaChangeTable;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and schema changes through the running mirror job: an event with no key, a
 * malformed envelope, an event of a table that is not mirrored, and a column whose type
 * changed each become a dead letter with its reason; an added column and a widened type evolve the table; each
 * schema change is published once, after being held for {@code schema-changes.report-after}, and appended once to
 * the lake table {@code schema_changes}; the job keeps running and the good rows land.
 */
class MirrorBadInputTest {
    @TempDir
    Path directory;

    @Test
    void badEventsAreDeadLetteredAndSchemaChangesPublishedOnce() throws Exception {
        try (LocalStack stack = LocalStack.start(directory, 0, 2)) {
            PipelineConfig config = stack.pipelineConfig(Map.of("checkpoint.interval", "1s", "mirror.tables", "public.widgets",
                    "maintenance.interval", "0s", "schema-changes.report-after", "2s"));
            stack.createMirrorTopics(config);
            ConnectEnvelope widgets = ConnectEnvelope.table("public", "widgets").keyColumn("id", "int64").column("size", "int32", true);
            ConnectEnvelope widened = ConnectEnvelope.table("public", "widgets").keyColumn("id", "int64").column("size", "int32", true)
                    .column("color", "string", true);
            ConnectEnvelope retyped = ConnectEnvelope.table("public", "widgets").keyColumn("id", "int64").column("size", "string", true)
                    .column("color", "string", true);
            ConnectEnvelope others = ConnectEnvelope.table("public", "others").keyColumn("id", "int64");
            ConnectEnvelope wider = ConnectEnvelope.table("public", "widgets").keyColumn("id", "int64").column("size", "int64", true)
                    .column("color", "string", true);
            String topic = widgets.topic("fleet");
            stack.kafka().createTopics(List.of(LocalKafka.TopicSpec.of(topic, 1), LocalKafka.TopicSpec.of(others.topic("fleet"), 1)));

            JobID job = stack.submitMirror(config, null);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(stack.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
                Map<String, Object> one = Map.of("id", 1, "size", 10);
                send(producer, topic, widgets.key(one), widgets.value("c", null, one, 1));
                send(producer, topic, null, widgets.value("c", null, Map.of("id", 9, "size", 9), 2));
                send(producer, topic, widgets.key(one), "{\"schema\": {".getBytes(StandardCharsets.UTF_8));
                send(producer, others.topic("fleet"), others.key(Map.of("id", 5)), others.value("c", null, Map.of("id", 5), 3));
                Map<String, Object> two = Map.of("id", 2, "size", 20, "color", "red");
                send(producer, topic, widened.key(two), widened.value("c", null, two, 4));
                for (int id = 3; id <= 4; id++) {
                    Map<String, Object> bad = Map.of("id", id, "size", "large", "color", "blue");
                    send(producer, topic, retyped.key(bad), retyped.value("c", null, bad, 5));
                }
                Map<String, Object> five = Map.of("id", 5, "size", 5_000_000_000L, "color", "green");
                send(producer, topic, wider.key(five), wider.value("c", null, five, 6));
                Map<String, Object> oneAgain = Map.of("id", 1, "size", 11);
                send(producer, topic, widgets.key(oneAgain), widgets.value("u", one, oneAgain, 6));
                send(producer, topic, widgets.key(oneAgain), null);
            }

            TableIdentifier identifier = TableIdentifier.of("fleet", "widgets");
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            Map<Long, Record> rows = Map.of();
            while (System.nanoTime() < deadline) {
                rows = read(config, identifier);
                if (rows.containsKey(1L) && Long.valueOf(11).equals(rows.get(1L).getField("size")) && rows.containsKey(2L)
                        && Topics.countCommitted(stack.kafka().bootstrapServers(), config.mirror().deadLetterTopic()) >= 5) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(rows.keySet()).containsExactlyInAnyOrder(1L, 2L, 5L);
            assertThat(rows.get(5L).getField("size")).as("the widened column holds a long").isEqualTo(5_000_000_000L);
            assertThat(rows.get(1L).getField("size")).as("a row of the narrower shape, widened").isEqualTo(11L);
            assertThat(rows.get(1L).getField("color")).as("rows of the old shape: the added column is null").isNull();
            assertThat(rows.get(2L).getField("color")).as("the added column holds its value from its first row on").isEqualTo("red");

            List<String> reasons = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> letter : Topics.readAll(stack.kafka().bootstrapServers(), config.mirror().deadLetterTopic(), IsolationLevel.READ_COMMITTED)) {
                reasons.add(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_REASON));
                assertThat(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_STAGE)).isEqualTo("mirror");
                assertThat(letter.value()).as("original bytes kept").isNotEmpty();
            }
            assertThat(reasons).hasSize(5);
            assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("has no key"));
            assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("not JSON"));
            assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains("public.others is not mirrored"));
            assertThat(reasons).filteredOn(reason -> reason.contains("type_changed at size (int -> string)")).hasSize(2);

            // Each change is held for schema-changes.report-after, then reported: on the topic at once, in the lake at the next checkpoint.
            TableIdentifier changesTable = SchemaChangeTable.identifier(config.lake(), config.schemaChanges());
            List<ConsumerRecord<byte[], byte[]>> published = List.of();
            List<Record> reported = List.of();
            long reportDeadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < reportDeadline && (published.size() < 3 || reported.size() < 3)) {
                Thread.sleep(500);
                published = Topics.readAll(stack.kafka().bootstrapServers(), config.mirror().schemaChangeTopic(), IsolationLevel.READ_UNCOMMITTED);
                reported = rows(config, changesTable);
            }
            // A repeat would arrive right behind: wait until two more checkpoints (and their commits) have gone through.
            stack.flink().awaitMoreCheckpoints(job, 2, Duration.ofMinutes(1));
            published = Topics.readAll(stack.kafka().bootstrapServers(), config.mirror().schemaChangeTopic(), IsolationLevel.READ_UNCOMMITTED);
            reported = rows(config, changesTable);

            Map<String, Integer> changes = new HashMap<>();
            List<String> publishedIds = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : published) {
                CloudEvent event = AlertCloudEvents.fromKafkaRecord(record);
                assertThat(event.getType()).isEqualTo("dev.tributary.schema.changed");
                assertThat(event.getSubject()).isEqualTo("fleet.widgets");
                changes.merge(event.getExtension("changekind") + " " + event.getExtension("changepath"), 1, Integer::sum);
                publishedIds.add(event.getId());
            }
            assertThat(changes).isEqualTo(Map.of("field_added color", 1, "type_changed size", 1, "type_widened size", 1));

            assertThat(reported).as("the lake table holds each published change once")
                    .extracting(row -> (String) row.getField("change_id")).containsExactlyInAnyOrderElementsOf(publishedIds);
            assertThat(reported).extracting(row -> row.getField("kind") + " " + row.getField("path"))
                    .containsExactlyInAnyOrder("field_added color", "type_changed size", "type_widened size");
            assertThat(reported).allSatisfy(row -> {
                assertThat((Long) row.getField("event_count")).isPositive();
                assertThat(row.getField("pipeline")).isEqualTo(config.pipelineName());
                assertThat(row.getField("stage")).isEqualTo(LakeMirrorJob.STAGE);
                assertThat(row.getField("subject")).isEqualTo("fleet.widgets");
                assertThat(row.getField("example_topic")).isEqualTo(topic);
                assertThat((Long) row.getField("example_offset")).isNotNegative();
                assertThat(row.getField("first_seen")).isNotNull();
                assertThat(row.getField("reported_at")).isNotNull();
            });
            assertThat(reported).filteredOn(row -> "type_changed".equals(row.getField("kind"))).singleElement()
                    .satisfies(row -> {
                        assertThat(row.getField("expected")).isEqualTo("int");
                        assertThat(row.getField("found")).isEqualTo("string");
                        assertThat(row.getField("action")).isEqualTo("dead-lettered");
                    });
            assertThat(stack.flink().status(job)).isEqualTo(JobStatus.RUNNING);
            stack.flink().cancel(job);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static Map<Long, Record> read(PipelineConfig config, TableIdentifier identifier) throws Exception {
        Map<Long, Record> rows = new HashMap<>();
        rows(config, identifier).forEach(record -> rows.put((Long) record.getField("id"), record));
        return rows;
    }

    /** The table's rows now, deletes applied; none when there is no table yet. */
    private static List<Record> rows(PipelineConfig config, TableIdentifier identifier) throws Exception {
        Catalog catalog = Catalogs.open(config.lake());
        try {
            if (!catalog.tableExists(identifier)) {
                return List.of();
            }
            Table table = catalog.loadTable(identifier);
            List<Record> rows = new ArrayList<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                records.forEach(record -> rows.add(record.copy()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return rows;
        } finally {
            ((AutoCloseable) catalog).close();
        }
    }
}
