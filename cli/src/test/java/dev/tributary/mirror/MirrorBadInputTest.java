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
 * schema change is published once; the job keeps running and the good rows land.
 */
class MirrorBadInputTest {
    @TempDir
    Path directory;

    @Test
    void badEventsAreDeadLetteredAndSchemaChangesPublishedOnce() throws Exception {
        try (LocalStack stack = LocalStack.start(directory, 0, 2)) {
            PipelineConfig config = stack.pipelineConfig(Map.of("checkpoint.interval", "1s", "mirror.tables", "public.widgets",
                    "maintenance.interval", "0s"));
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

            Map<String, Integer> changes = new HashMap<>();
            Thread.sleep(1000);
            for (ConsumerRecord<byte[], byte[]> record : Topics.readAll(stack.kafka().bootstrapServers(), config.mirror().schemaChangeTopic(), IsolationLevel.READ_UNCOMMITTED)) {
                CloudEvent event = AlertCloudEvents.fromKafkaRecord(record);
                assertThat(event.getType()).isEqualTo("dev.tributary.schema.changed");
                assertThat(event.getSubject()).isEqualTo("fleet.widgets");
                changes.merge(event.getExtension("changekind") + " " + event.getExtension("changepath"), 1, Integer::sum);
            }
            assertThat(changes).isEqualTo(Map.of("field_added color", 1, "type_changed size", 1, "type_widened size", 1));
            assertThat(stack.flink().status(job)).isEqualTo(JobStatus.RUNNING);
            stack.flink().cancel(job);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static Map<Long, Record> read(PipelineConfig config, TableIdentifier identifier) throws Exception {
        Catalog catalog = Catalogs.open(config.lake());
        try {
            if (!catalog.tableExists(identifier)) {
                return Map.of();
            }
            Table table = catalog.loadTable(identifier);
            Map<Long, Record> rows = new HashMap<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                records.forEach(record -> rows.put((Long) record.getField("id"), record.copy()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return rows;
        } finally {
            ((AutoCloseable) catalog).close();
        }
    }
}
