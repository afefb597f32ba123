package dev.tributary.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.cdc.ConnectEnvelope;
import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.Catalogs;
import dev.tributary.local.AwsDefaultChainCredentials;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalKafka;
import dev.tributary.local.LocalS3;
import dev.tributary.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake-mirror job with the warehouse on {@code s3://} of a local S3 endpoint: inserts, updates
 * and deletes of one table land as Iceberg rows, the updates and deletes as delete files, and every
 * file the table references is an object of the bucket.
 */
class LakeMirrorOnS3Test {
    private static final String BUCKET = "tributary-mirror-lake";

    @TempDir
    Path directory;
    @TempDir
    Path s3Directory;

    @Test
    void insertsUpdatesAndDeletesLandOnS3() throws Exception {
        try (LocalS3 s3 = LocalS3.start(s3Directory, BUCKET);
             AwsDefaultChainCredentials credentials = new AwsDefaultChainCredentials(s3.accessKeyId(), s3.secretAccessKey());
             LocalStack stack = LocalStack.start(directory, 0, 2)) {
            Map<String, String> settings = new HashMap<>(s3.configuration("warehouse"));
            settings.put("checkpoint.interval", "1s");
            settings.put("mirror.tables", "public.widgets");
            settings.put("maintenance.interval", "0s");
            PipelineConfig config = stack.pipelineConfig(settings);
            stack.createMirrorTopics(config);
            ConnectEnvelope widgets = ConnectEnvelope.table("public", "widgets").keyColumn("id", "int64").column("size", "int64", true);
            stack.kafka().createTopics(List.of(LocalKafka.TopicSpec.of(widgets.topic("fleet"), 1)));

            JobID job = stack.submitMirror(config, null);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(stack.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (long id = 1; id <= 30; id++) {
                    Map<String, Object> row = Map.of("id", id, "size", id);
                    send(producer, widgets.topic("fleet"), widgets.key(row), widgets.value("c", null, row, id));
                }
                for (long id = 1; id <= 10; id++) {
                    Map<String, Object> before = Map.of("id", id, "size", id);
                    Map<String, Object> after = Map.of("id", id, "size", id + 1000);
                    send(producer, widgets.topic("fleet"), widgets.key(after), widgets.value("u", before, after, 100 + id));
                }
                for (long id = 21; id <= 30; id++) {
                    Map<String, Object> before = Map.of("id", id, "size", id);
                    send(producer, widgets.topic("fleet"), widgets.key(before), widgets.value("d", before, null, 200 + id));
                }
            }

            TableIdentifier identifier = TableIdentifier.of("fleet", "widgets");
            Set<Object> expectedIds = new HashSet<>();
            LongStream.rangeClosed(1, 20).forEach(expectedIds::add);
            LakeInspector.Counts rows = null;
            LakeInspector.Counts updated = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            try (LakeInspector lake = new LakeInspector(config.lake())) {
                while (System.nanoTime() < deadline) {
                    if (lake.exists(identifier)) {
                        rows = lake.count(identifier, "id");
                        updated = lake.count(identifier, "id", Expressions.greaterThan("size", 1000L));
                        if (rows.values().equals(expectedIds) && updated.rows() == 10) {
                            break;
                        }
                    }
                    Thread.sleep(500);
                }
            }
            stack.flink().cancel(job);
            assertThat(rows).isNotNull();
            assertThat(rows.rows()).isEqualTo(20);
            assertThat(rows.values()).isEqualTo(expectedIds);
            assertThat(updated.rows()).isEqualTo(10);
            assertThat(updated.values()).isEqualTo(new HashSet<Object>(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L)));

            Map<String, Long> objects = s3.objects();
            Catalog catalog = Catalogs.open(config.lake());
            try {
                Table table = catalog.loadTable(identifier);
                assertThat(table.location()).isEqualTo("s3://" + BUCKET + "/warehouse/fleet/widgets");
                int dataFiles = 0;
                int deleteFiles = 0;
                try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                    for (FileScanTask task : tasks) {
                        assertObject(objects, task.file());
                        dataFiles++;
                        for (ContentFile<?> delete : task.deletes()) {
                            assertObject(objects, delete);
                            deleteFiles++;
                        }
                    }
                }
                assertThat(dataFiles).isPositive();
                assertThat(deleteFiles).as("updates and deletes are delete files").isPositive();
            } finally {
                Catalogs.closeQuietly(catalog);
            }
            try (Stream<Path> files = Files.walk(stack.lake().warehouse())) {
                assertThat(files.filter(Files::isRegularFile).toList()).as("nothing in the local warehouse").isEmpty();
            }
        }
    }

    private static void assertObject(Map<String, Long> objects, ContentFile<?> file) {
        String prefix = "s3://" + BUCKET + "/";
        assertThat(file.location()).startsWith(prefix);
        assertThat(objects).as(file.location()).containsEntry(file.location().substring(prefix.length()), file.fileSizeInBytes());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
}
