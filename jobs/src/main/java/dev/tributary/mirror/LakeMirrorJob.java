package dev.tributary.mirror;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.PipelineConfig;
import dev.tributary.deadletter.DeadLetterSerializer;
import dev.tributary.jobs.KafkaEndpoints;
import dev.tributary.lake.Catalogs;
import dev.tributary.lake.LakeMaintenance;
import dev.tributary.lake.LakeTables;
import dev.tributary.schema.SchemaChangeReporting;
import dev.tributary.telemetry.TelemetryJob;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.sink.dynamic.TailCommittingDynamicIcebergSink;

/**
 * The lake-mirror job: Debezium change topics to one Iceberg table per source table (format v2,
 * ORC), upserted by primary key, committed exactly once with Flink's checkpoints.
 *
 * <pre>
 * change topics ─ by table ─ decode, compare shapes, ─┬─ rows ─ Dynamic Iceberg Sink (equality deletes)
 *                           create and evolve tables  │
 *                                                     ├─ schema changes ─ once per change ─ CloudEvents topic, Iceberg schema_changes, SNS
 *                                                     ├─ dead letters ─ DLQ topic (original bytes + reason)
 *                                                     └─ tables written ─ maintenance (compaction, snapshot expiry)
 * </pre>
 *
 * Capture delivers at least once; replays are absorbed because every change is an upsert or a
 * delete by key, applied in the order of the key's partition.
 */
public final class LakeMirrorJob {
    public static final String NAME = "tributary-lake-mirror";
    public static final String STAGE = "lake-mirror";

    private final PipelineConfig config;
    private final KafkaEndpoints kafka;

    public LakeMirrorJob(PipelineConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.kafka = new KafkaEndpoints(config, "mirror");
    }

    public void build(StreamExecutionEnvironment env) {
        prepareCatalog();
        CatalogLoader catalog = Catalogs.loader(config.lake());
        KafkaSourceBuilder<CdcRecord> source = KafkaSource.<CdcRecord>builder()
                .setTopicPattern(config.cdcTopicPattern())
                .setDeserializer(new CdcRecordDeserializer());
        DataStream<CdcRecord> records = env
                .fromSource(kafka.configureSource(source, "tributary-" + config.pipelineName() + "-lake-mirror").build(),
                        WatermarkStrategy.noWatermarks(), "change topics")
                .uid("source-cdc");
        // One subtask decodes a table's changes (keyed by topic), so that its schema switches at one barrier.
        SingleOutputStreamOperator<MirrorRow> rows = records
                .keyBy(CdcRecord::topic, Types.STRING)
                .process(new ChangeToRow(config.mirror(), config.lake(), catalog), TypeInformation.of(MirrorRow.class))
                .uid("mirror-rows")
                .name("decode changes");

        TailCommittingDynamicIcebergSink.forInput(rows)
                .generator(new MirrorRecordGenerator(config.parallelism()))
                .catalogLoader(catalog)
                .immediateTableUpdate(true)
                .writeParallelism(config.parallelism())
                .set("write-format", config.lake().fileFormat().name().toLowerCase(java.util.Locale.ROOT))
                .set("compression-codec", "zstd")
                .uidPrefix("lake-mirror")
                .append();

        SchemaChangeReporting.report(rows.getSideOutput(ChangeToRow.SCHEMA_CHANGES), config, kafka, STAGE, "schema-changes");

        rows.getSideOutput(ChangeToRow.DEAD_LETTERS)
                .sinkTo(kafka.sink(new DeadLetterSerializer(config.mirror().deadLetterTopic()), DeliveryGuarantee.EXACTLY_ONCE, "dlq"))
                .uid("sink-mirror-dlq")
                .name("dead-letter topic");

        if (!config.mirror().maintenanceInterval().isZero()) {
            rows.getSideOutput(ChangeToRow.TABLES_WRITTEN)
                    .keyBy(table -> table, Types.STRING)
                    .process(new MaintenanceFunction(config.mirror(), catalog), TypeInformation.of(LakeMaintenance.Report.class))
                    .setParallelism(1)
                    .uid("maintenance")
                    .name("table maintenance")
                    .sinkTo(new DiscardingSink<>())
                    .setParallelism(1)
                    .name("maintenance reports");
        }
    }

    /**
     * Opens the catalog once before the job starts: its backing store is set up (the JDBC
     * catalog creates and migrates its tables on first use, which many operators opening it at
     * once would race on) and the mirror's namespace exists.
     */
    public void prepareCatalog() {
        Catalog catalog = Catalogs.open(config.lake());
        try {
            LakeTables.ensureNamespace(catalog, Namespace.of(config.mirror().namespace()));
        } finally {
            Catalogs.closeQuietly(catalog);
        }
    }

    /** The same checkpointing and execution settings as the telemetry job. */
    public static void configure(StreamExecutionEnvironment env, PipelineConfig config) {
        TelemetryJob.configure(env, config);
    }
}
