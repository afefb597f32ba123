package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.config.PipelineConfig;
import dev.tributary.deadletter.DeadLetterSerializer;
import dev.tributary.lake.TelemetryTable;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import dev.tributary.simulator.Scenario;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The telemetry job with Kinesis instead of Kafka for the raw readings, switched by
 * configuration alone, against kinesalite: the simulator's readings are put on a two-shard
 * stream with the AWS SDK v2, the job reads them with the Kinesis connector, and every valid
 * reading lands in the lake exactly once. Enriched readings and alerts also go to Kinesis
 * streams; malformed records are dead letters that keep their bytes and Kinesis position.
 */
class KinesisTelemetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 6_000;

    @TempDir
    Path directory;

    @Test
    void theJobReadsKinesisAndWritesTheLakeAndKinesisOutputs() throws Exception {
        try (Kinesalite kinesis = Kinesalite.start(directory.resolve("kinesalite"));
             LocalStack stack = LocalStack.start(directory.resolve("lake"), 0, 2)) {
            String raw = kinesis.createStream("fleet-telemetry-raw", 2);
            String enrichedStream = kinesis.createStream("fleet-telemetry-enriched", 1);
            String alertStream = kinesis.createStream("fleet-alerts", 1);
            Map<String, String> settings = new HashMap<>();
            settings.put("telemetry.source", "kinesis");
            settings.put("kinesis.stream-arn", raw);
            settings.put("kinesis.endpoint", kinesis.endpoint().toString());
            settings.put("kinesis.enriched-stream-arn", enrichedStream);
            settings.put("kinesis.alerts-stream-arn", alertStream);
            settings.put("kinesis.property.aws.credentials.provider", "BASIC");
            settings.put("kinesis.property.aws.credentials.provider.basic.accesskeyid", Kinesalite.ACCESS_KEY);
            settings.put("kinesis.property.aws.credentials.provider.basic.secretkey", Kinesalite.SECRET_KEY);
            settings.put("checkpoint.interval", "2s");
            settings.put("watermark.idleness", "2s");
            settings.put("rules.headlights.min-duration", "1m");
            PipelineConfig config = stack.pipelineConfig(settings);
            assertThat(config.describe()).contains("telemetry.source = kinesis " + raw).doesNotContain(Kinesalite.SECRET_KEY);

            // The simulator writes to the (unused) raw Kafka topic; its records are put on Kinesis as they are, in the order they
            // were sent (a consumer returns one partition's records in a block: put so, half of them would be minutes late), plus
            // two that are not JSON.
            PipelineRuns runs = new PipelineRuns(stack, config);
            SimulationReport report = runs.produce(SimulatorConfig.defaults(20, EVENTS).withCollectedIds().withBadInput(0, 0).withoutNullKeys()
                    .withHeadlightsMinDuration(Duration.ofMinutes(1)));
            List<ConsumerRecord<byte[], byte[]>> sent = new ArrayList<>(
                    Topics.readAll(stack.kafka().bootstrapServers(), config.telemetryTopic(), IsolationLevel.READ_COMMITTED));
            sent.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : sent) {
                entries.add(entry(new String(record.key(), StandardCharsets.UTF_8), record.value()));
            }
            entries.add(entry("dev-bad-1", "{not json".getBytes(StandardCharsets.UTF_8)));
            entries.add(entry("dev-bad-2", "[1, 2]".getBytes(StandardCharsets.UTF_8)));
            putAll(kinesis.client(), "fleet-telemetry-raw", entries);
            assertThat(report.valid()).isEqualTo(EVENTS);

            JobID job = runs.submit();
            try (LakeInspector lake = new LakeInspector(config.lake())) {
                RestartExactlyOnceTest.await(() -> lake.exists(TelemetryTable.identifier(config.lake()))
                                && lake.count(TelemetryTable.identifier(config.lake()), "event_id").rows() >= EVENTS,
                        Duration.ofMinutes(3), "every valid reading in the lake");
                RestartExactlyOnceTest.await(() -> Topics.countCommitted(stack.kafka().bootstrapServers(), config.deadLetterTopic()) >= 2,
                        Duration.ofMinutes(1), "the two dead letters");
                // Kinesis sinks flush at checkpoints: wait for what the Kafka outputs already hold.
                RestartExactlyOnceTest.await(() -> enrichedIds(kinesis.client()).equals(report.validEventIds()), Duration.ofMinutes(1),
                        "every valid reading on the enriched stream");
                try {
                    RestartExactlyOnceTest.await(() -> !kafkaAlertIds(stack, config).isEmpty()
                            && alertIds(kinesis.client()).equals(kafkaAlertIds(stack, config)), Duration.ofMinutes(2), "the alerts on the alert stream");
                } catch (AssertionError timedOut) {
                    // Say which alerts differ.
                    assertThat(alertIds(kinesis.client())).as("alert ids on Kinesis, against the alert topic").isEqualTo(kafkaAlertIds(stack, config));
                    throw timedOut;
                }
                // Two more checkpoints: anything duplicated would be committed by then.
                stack.flink().awaitMoreCheckpoints(job, 2, Duration.ofMinutes(1));
                stack.flink().cancel(job);
                LakeInspector.Counts counts = lake.count(TelemetryTable.identifier(config.lake()), "event_id");
                assertThat(counts.rows()).isEqualTo(EVENTS);
                assertThat(counts.values()).isEqualTo(new HashSet<Object>(report.validEventIds()));
            }

            List<ConsumerRecord<byte[], byte[]>> letters = Topics.readAll(stack.kafka().bootstrapServers(), config.deadLetterTopic(), IsolationLevel.READ_COMMITTED);
            assertThat(letters).hasSize(2);
            assertThat(letters).extracting(letter -> new String(letter.value(), StandardCharsets.UTF_8)).containsExactlyInAnyOrder("{not json", "[1, 2]");
            for (ConsumerRecord<byte[], byte[]> letter : letters) {
                assertThat(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_TOPIC)).isEqualTo("fleet-telemetry-raw");
                assertThat(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_OFFSET)).isEqualTo("-1");
                assertThat(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_SEQUENCE_NUMBER)).matches("[0-9]{20,}");
                assertThat(DeadLetterSerializer.header(letter.headers(), DeadLetterSerializer.HEADER_PARTITION)).isIn("0", "1");
            }

            // The enriched stream holds every valid reading (at least once: Kinesis has no transactions), with its Kinesis position.
            Map<String, JsonNode> enriched = new HashMap<>();
            for (Record record : readAll(kinesis.client(), "fleet-telemetry-enriched")) {
                JsonNode reading = JSON.readTree(record.data().asByteArray());
                assertThat(record.partitionKey()).isEqualTo(reading.get("device_id").asText());
                enriched.put(reading.get("event_id").asText(), reading);
            }
            assertThat(enriched.keySet()).isEqualTo(report.validEventIds());
            JsonNode source = enriched.values().iterator().next().get("source");
            assertThat(source.get("topic").asText()).isEqualTo("fleet-telemetry-raw");
            assertThat(source.get("offset").asLong()).isEqualTo(-1);
            assertThat(source.at("/sequence_number/string").asText(source.path("sequence_number").asText())).matches("[0-9]{20,}");

            // Every injected scenario opened its alert (a reading the rules took for late would have skipped it), and the alerts
            // on Kinesis are the alerts on the Kafka topic, as structured CloudEvents.
            assertThat(report.scenarios()).isNotEmpty();
            List<CloudEvent> kafkaAlerts = kafkaAlerts(stack, config);
            for (Scenario scenario : report.scenarios()) {
                assertThat(kafkaAlerts).as("%s", scenario).anyMatch(alert -> alert.getType().equals(AlertCloudEvents.TYPE_PREFIX + "opened")
                        && scenario.alertType().equals(alert.getExtension("alerttype")) && scenario.vehicleId().equals(alert.getSubject()));
            }
            assertThat(alertIds(kinesis.client())).isNotEmpty().isEqualTo(kafkaAlertIds(stack, config));
        }
    }

    private static Set<String> enrichedIds(KinesisClient client) throws Exception {
        Set<String> ids = new HashSet<>();
        for (Record record : readAll(client, "fleet-telemetry-enriched")) {
            ids.add(JSON.readTree(record.data().asByteArray()).get("event_id").asText());
        }
        return ids;
    }

    private static Set<String> alertIds(KinesisClient client) {
        Set<String> ids = new HashSet<>();
        for (Record record : readAll(client, "fleet-alerts")) {
            CloudEvent event = AlertCloudEvents.fromStructuredJson(record.data().asByteArray());
            assertThat(event.getType()).startsWith(AlertCloudEvents.TYPE_PREFIX);
            ids.add(event.getId());
        }
        return ids;
    }

    private static List<CloudEvent> kafkaAlerts(LocalStack stack, PipelineConfig config) {
        List<CloudEvent> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : Topics.readAll(stack.kafka().bootstrapServers(), config.alertsTopic(), IsolationLevel.READ_COMMITTED)) {
            alerts.add(AlertCloudEvents.fromKafkaRecord(record));
        }
        return alerts;
    }

    private static Set<String> kafkaAlertIds(LocalStack stack, PipelineConfig config) {
        Set<String> ids = new HashSet<>();
        kafkaAlerts(stack, config).forEach(alert -> ids.add(alert.getId()));
        return ids;
    }

    private static PutRecordsRequestEntry entry(String partitionKey, byte[] data) {
        return PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)).build();
    }

    /** PutRecords in batches of 500, retrying what the stream refused. */
    private static void putAll(KinesisClient client, String stream, List<PutRecordsRequestEntry> entries) {
        for (int start = 0; start < entries.size(); start += 500) {
            List<PutRecordsRequestEntry> batch = entries.subList(start, Math.min(entries.size(), start + 500));
            while (!batch.isEmpty()) {
                List<PutRecordsRequestEntry> sent = batch;
                PutRecordsResponse response = client.putRecords(request -> request.streamName(stream).records(sent));
                List<PutRecordsRequestEntry> failed = new ArrayList<>();
                for (int i = 0; i < response.records().size(); i++) {
                    if (response.records().get(i).errorCode() != null) {
                        failed.add(sent.get(i));
                    }
                }
                batch = failed;
            }
        }
    }

    /** Every record of every shard of a stream, from the start. */
    private static List<Record> readAll(KinesisClient client, String stream) {
        List<Record> records = new ArrayList<>();
        for (Shard shard : client.listShards(request -> request.streamName(stream)).shards()) {
            String iterator = client.getShardIterator(request -> request.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = client.getRecords(request -> request.shardIterator(current).limit(10_000));
                records.addAll(response.records());
                if (response.records().isEmpty() || response.millisBehindLatest() == 0) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
        }
        return records;
    }
}
