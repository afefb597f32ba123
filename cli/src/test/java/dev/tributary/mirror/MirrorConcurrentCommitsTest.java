package dev.tributary.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.cdc.ConnectEnvelope;
import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.Catalogs;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import io.cloudevents.CloudEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The mirror evolves a table column by column while other writers commit to the same table all
 * along: another process's metadata commits (table properties, ten a second), the mirror's own data commits at every checkpoint and its maintenance compacting the
 * table. A schema update that loses its race is planned again: the job never fails over, every
 * column and every row lands, each change is published once.
 */
class MirrorConcurrentCommitsTest {
    private static final int ADDED_COLUMNS = 8;
    private static final int ROWS_PER_SHAPE = 20;
    private static final long OTHER_WRITER_PACE_MILLIS = 100;

    @TempDir
    Path directory;

    @Test
    void evolvingWhileOthersCommitIsPlannedAgainNeverAFailover() throws Exception {
        ExecutorService otherWriter = Executors.newSingleThreadExecutor();
        try (LocalStack stack = LocalStack.start(directory, 0, 2)) {
            PipelineConfig config = stack.pipelineConfig(Map.of("checkpoint.interval", "1s", "mirror.tables", "public.widgets",
                    "maintenance.interval", "1s", "maintenance.min-files", "2", "schema-changes.report-after", "1s"));
            stack.createMirrorTopics(config);
            String topic = shape(0).topic("fleet");
            stack.kafka().createTopics(List.of(LocalKafka.TopicSpec.of(topic, 1)));
            TableIdentifier identifier = TableIdentifier.of("fleet", "widgets");
            JobID job = stack.submitMirror(config, null);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger otherCommits = new AtomicInteger();
            Future<?> commits = otherWriter.submit(() -> {
                Catalog catalog = Catalogs.open(config.lake());
                try {
                    while (!stop.get()) {
                        if (!catalog.tableExists(identifier)) {
                            Thread.sleep(20);
                            continue;
                        }
                        Table table = catalog.loadTable(identifier);
                        table.updateProperties().set("test.other-writer", Integer.toString(otherCommits.incrementAndGet())).commit();
                        // Ten commits a second, far more than any real co-writer: in a tight loop it would take the catalog
                        // for itself, and even the data commits Iceberg retries would never get in.
                        Thread.sleep(OTHER_WRITER_PACE_MILLIS);
                    }
                } finally {
                    Catalogs.closeQuietly(catalog);
                }
                return null;
            });

            Map<Long, Integer> expectedColumns = new LinkedHashMap<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(stack.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
                long id = 0;
                for (int columns = 0; columns <= ADDED_COLUMNS; columns++) {
                    ConnectEnvelope shape = shape(columns);
                    for (int i = 0; i < ROWS_PER_SHAPE; i++) {
                        id++;
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("id", id);
                        row.put("size", (int) id);
                        for (int column = 1; column <= columns; column++) {
                            row.put("c" + column, "v" + id + "-" + column);
                        }
                        producer.send(new ProducerRecord<>(topic, shape.key(row), shape.value("c", null, row, id))).get();
                        expectedColumns.put(id, columns);
                    }
                }
            }

            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            Map<Long, Record> rows = Map.of();
            while (System.nanoTime() < deadline && !rows.keySet().equals(expectedColumns.keySet())) {
                assertThat(commits.isDone()).as("the other writer keeps committing").isFalse();
                assertThat(stack.flink().restarts(job)).as("the mirror job failed over").isZero();
                Thread.sleep(200);
                rows = read(config, identifier);
            }
            stop.set(true);
            commits.get(1, TimeUnit.MINUTES);

            assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(expectedColumns.keySet());
            for (Map.Entry<Long, Integer> expected : expectedColumns.entrySet()) {
                Record row = rows.get(expected.getKey());
                assertThat(row.getField("size")).isEqualTo(expected.getKey().intValue());
                for (int column = 1; column <= ADDED_COLUMNS; column++) {
                    assertThat(row.getField("c" + column)).as("row %d column c%d", expected.getKey(), column)
                            .isEqualTo(column <= expected.getValue() ? "v" + expected.getKey() + "-" + column : null);
                }
            }
            assertThat(otherCommits.get()).as("the other writer committed while the table evolved").isGreaterThan(ADDED_COLUMNS);

            // Each added column is reported once (after schema-changes.report-after) to the topic.
            Map<String, Integer> published = new HashMap<>();
            long reportDeadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < reportDeadline && published.size() < ADDED_COLUMNS) {
                Thread.sleep(200);
                published = published(stack, config);
            }
            Map<String, Integer> expected = new HashMap<>();
            for (int column = 1; column <= ADDED_COLUMNS; column++) {
                expected.put("field_added c" + column, 1);
            }
            assertThat(published).isEqualTo(expected);
            assertThat(stack.flink().restarts(job)).as("the mirror job failed over").isZero();
            assertThat(stack.flink().status(job)).isEqualTo(JobStatus.RUNNING);
            stack.flink().cancel(job);
        } finally {
            otherWriter.shutdownNow();
        }
    }

    private static ConnectEnvelope shape(int addedColumns) {
        ConnectEnvelope shape = ConnectEnvelope.table("public", "widgets").keyColumn("id", "int64").column("size", "int32", true);
        for (int column = 1; column <= addedColumns; column++) {
            shape = shape.column("c" + column, "string", true);
        }
        return shape;
    }

    private static Map<String, Integer> published(LocalStack stack, PipelineConfig config) throws Exception {
        Map<String, Integer> changes = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : Topics.readAll(stack.kafka().bootstrapServers(), config.mirror().schemaChangeTopic(),
                IsolationLevel.READ_UNCOMMITTED)) {
            CloudEvent event = AlertCloudEvents.fromKafkaRecord(record);
            changes.merge(event.getExtension("changekind") + " " + event.getExtension("changepath"), 1, Integer::sum);
        }
        return changes;
    }

    private static Map<Long, Record> read(PipelineConfig config, TableIdentifier identifier) throws Exception {
        Catalog catalog = Catalogs.open(config.lake());
        try {
            if (!catalog.tableExists(identifier)) {
                return Map.of();
            }
            Map<Long, Record> rows = new HashMap<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(catalog.loadTable(identifier)).build()) {
                records.forEach(record -> rows.put((Long) record.getField("id"), record.copy()));
            }
            return rows;
        } finally {
            Catalogs.closeQuietly(catalog);
        }
    }
}
