package dev.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.config.PipelineConfig;
import dev.tributary.lake.TelemetryTable;
import dev.tributary.local.LakeInspector;
import dev.tributary.local.LocalStack;
import dev.tributary.local.Topics;
import dev.tributary.schema.SchemaChangeTable;
import dev.tributary.simulator.SimulationReport;
import dev.tributary.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema drift end to end, in one run of the telemetry job with the default policies, while the
 * devices send (in real time, at 2,000 readings per second): halfway
 * through, every device starts sending a new nested object ({@code engine.turbo}, five levels deep
 * at {@code engine.turbo.wastegate.valve.open}); later, some readings send a number as text. The
 * lake table gains the new columns while the job runs, the readings from then on carry their
 * values, each change is published once, the conflicting values are quarantined in the
 * {@code overflow} column, and every reading is in the lake exactly once.
 */
class SchemaDriftEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path lakeDirectory;

    @Test
    void aNewNestedFieldEvolvesTheTableMidRunAndATypeConflictIsQuarantined() throws Exception {
        try (LocalStack stack = LocalStack.start(lakeDirectory, 0, 2)) {
            PipelineConfig config = stack.pipelineConfig(Map.of("checkpoint.interval", "1s", "schema-changes.report-after", "1s"));
            PipelineRuns runs = new PipelineRuns(stack, config);
            // The job runs while the devices change shape: readings arrive at 2,000/s, so several checkpoints commit before the new field appears.
            JobID job = runs.submit();
            stack.flink().awaitRunning(job, Duration.ofMinutes(1));
            SimulationReport report = runs.produce(SimulatorConfig.defaults(20, 12_000).withCollectedIds().withBadInput(0, 0).withSchemaDrift().withRate(2_000));
            assertThat(report.extendedEventIds()).hasSize(6_000);
            assertThat(report.conflictingEventIds()).isNotEmpty();

            try (LakeInspector lake = new LakeInspector(config.lake())) {
                RestartExactlyOnceTest.await(() -> lake.committedRecords(TelemetryTable.identifier(config.lake())) >= report.valid(),
                        Duration.ofMinutes(3), "every reading in the lake");
                // Anything beyond would be committed right behind: two more checkpoints.
                stack.flink().awaitMoreCheckpoints(job, 2, Duration.ofMinutes(1));
                stack.flink().cancel(job);
                Table table = lake.load(TelemetryTable.identifier(config.lake()));
                assertThat(table.schema().findType("engine.turbo.boost_kpa")).isEqualTo(Types.DoubleType.get());
                assertThat(table.schema().findType("engine.turbo.wastegate.valve.open")).isEqualTo(Types.BooleanType.get());
                // The column came mid-run: snapshots of this one job were committed under the schema before it.
                int evolvedSchemaId = table.schema().schemaId();
                List<Integer> snapshotSchemas = new ArrayList<>();
                Set<String> jobs = new HashSet<>();
                for (Snapshot snapshot : table.snapshots()) {
                    snapshotSchemas.add(snapshot.schemaId());
                    if (!snapshot.summary().getOrDefault("added-records", "0").equals("0")) {
                        jobs.add(snapshot.summary().get("flink.job-id"));
                    }
                }
                assertThat(snapshotSchemas).anyMatch(id -> id < evolvedSchemaId).contains(evolvedSchemaId);
                assertThat(jobs).as("every commit from one run of the job: no restart").hasSize(1);

                Map<String, Record> rows = new HashMap<>();
                long rowCount = 0;
                try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
                    for (Record record : records) {
                        rowCount++;
                        rows.put((String) record.getField("event_id"), record.copy());
                    }
                }
                assertThat(rowCount).as("no reading lost or duplicated").isEqualTo(report.valid()).isEqualTo(12_000);
                assertThat(rows.keySet()).isEqualTo(report.validEventIds());

                for (Map.Entry<String, Record> entry : rows.entrySet()) {
                    Record engine = (Record) entry.getValue().getField("engine");
                    Record turbo = (Record) engine.getField("turbo");
                    if (report.extendedEventIds().contains(entry.getKey())) {
                        assertThat(turbo).as("turbo of %s", entry.getKey()).isNotNull();
                        assertThat((Double) turbo.getField("boost_kpa")).isEqualTo(((Integer) engine.getField("rpm")) / 10.0);
                        Record valve = (Record) ((Record) turbo.getField("wastegate")).getField("valve");
                        assertThat(valve.getField("open")).isEqualTo(engine.getField("on"));
                    } else {
                        assertThat(turbo).as("turbo of %s, sent before the field existed", entry.getKey()).isNull();
                    }
                    Record battery = (Record) entry.getValue().getField("battery");
                    String overflow = (String) entry.getValue().getField("overflow");
                    if (report.conflictingEventIds().contains(entry.getKey())) {
                        assertThat(battery.getField("temperature_c")).isNull();
                        assertThat(JSON.readTree(overflow)).isEqualTo(JSON.readTree("{\"battery.temperature_c\":\"21.5C\"}"));
                    } else {
                        assertThat(overflow).isNull();
                    }
                }
            }

            Map<String, List<JsonNode>> published = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : Topics.readAll(stack.kafka().bootstrapServers(), config.mirror().schemaChangeTopic(),
                    IsolationLevel.READ_UNCOMMITTED)) {
                JsonNode data = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
                published.computeIfAbsent(data.get("kind").asText() + " " + data.get("path").asText(), unused -> new ArrayList<>()).add(data);
            }
            assertThat(published.keySet()).containsExactlyInAnyOrder("field_added engine.turbo", "type_changed battery.temperature_c");
            JsonNode added = published.get("field_added engine.turbo").get(0);
            assertThat(published.get("field_added engine.turbo")).hasSize(1);
            assertThat(added.get("action").asText()).isEqualTo("evolved");
            assertThat(added.get("count").asLong()).isPositive();
            assertThat(added.get("example").get("topic").asText()).isEqualTo(config.telemetryTopic());
            JsonNode conflict = published.get("type_changed battery.temperature_c").get(0);
            assertThat(published.get("type_changed battery.temperature_c")).hasSize(1);
            assertThat(conflict.get("action").asText()).isEqualTo("quarantined");
            assertThat(conflict.get("expected").asText()).isEqualTo("double");
            assertThat(conflict.get("found").asText()).isEqualTo("string");
            List<String> recorded = new ArrayList<>();
            try (LakeInspector lake = new LakeInspector(config.lake());
                 CloseableIterable<Record> records = IcebergGenerics.read(lake.load(SchemaChangeTable.identifier(config.lake(), config.schemaChanges()))).build()) {
                for (Record record : records) {
                    recorded.add(record.getField("stage") + " " + record.getField("kind") + " " + record.getField("path") + " " + record.getField("action"));
                }
            }
            assertThat(recorded).as("the Iceberg table schema_changes, once each")
                    .containsExactlyInAnyOrder("telemetry field_added engine.turbo evolved", "telemetry type_changed battery.temperature_c quarantined");
            Set<String> dlq = new HashSet<>();
            Topics.readAll(stack.kafka().bootstrapServers(), config.deadLetterTopic(), IsolationLevel.READ_COMMITTED,
                    record -> dlq.add(new String(record.value(), StandardCharsets.UTF_8)));
            assertThat(dlq).as("no drifting reading was dead-lettered").isEmpty();
        }
    }
}
