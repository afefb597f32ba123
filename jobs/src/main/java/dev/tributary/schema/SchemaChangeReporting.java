package dev.tributary.schema;

import dev.tributary.config.PipelineConfig;
import dev.tributary.deadletter.DeadLetter;
import dev.tributary.deadletter.DeadLetterSerializer;
import dev.tributary.jobs.KafkaEndpoints;
import dev.tributary.lake.Catalogs;
import dev.tributary.lake.LakeTables;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.catalog.Catalog;

/**
 * The schema-change branch of both jobs, in one place:
 *
 * <pre>
 * changes ─ by CloudEvent id ─ once per change (held reportAfter, counting) ─┬─ schema-change topic (binary CloudEvents, at least once)
 *                                                                            ├─ Iceberg schema_changes (append, exactly once: commits on checkpoints)
 *                                                                            └─ SNS (structured CloudEvents, retried) ─ refused ─ dead-letter topic
 * </pre>
 *
 * The SNS part is there only when {@code schema-changes.sns.topic-arn} is set.
 */
public final class SchemaChangeReporting {
    private SchemaChangeReporting() {}

    /**
     * Adds the branch to the job that makes {@code changes}. Creates the lake table if it is missing.
     *
     * @param stage the stage named in the CloudEvents' {@code source} and in the table's rows
     * @param uidPrefix the operators' uids are {@code <prefix>-once}, {@code sink-<prefix>} (those two as before the
     *     branch had a lake table and SNS: checkpoints stay compatible), {@code <prefix>-rows}, {@code <prefix>-lake-*},
     *     {@code <prefix>-sns} and {@code sink-<prefix>-dlq}
     */
    public static void report(DataStream<SchemaChangeEvent> changes, PipelineConfig config, KafkaEndpoints kafka, String stage, String uidPrefix) {
        SchemaChangeConfig settings = config.schemaChanges();
        String pipeline = config.pipelineName();
        ensureTable(config);
        DataStream<SchemaChangeEvent> reported = changes
                .keyBy(event -> SchemaChangeCloudEvents.id(event.change()), Types.STRING)
                .transform(stage + ": each schema change once", TypeInformation.of(SchemaChangeEvent.class),
                        new FirstReportOperator(new FirstReport(settings.reportAfter())))
                .uid(uidPrefix + "-once");

        reported.sinkTo(kafka.sink(new SchemaChangeSerializer(config.mirror().schemaChangeTopic(), pipeline, stage), DeliveryGuarantee.AT_LEAST_ONCE, uidPrefix))
                .uid("sink-" + uidPrefix)
                .name("schema-change topic");

        DataStream<RowData> rows = reported
                .map(event -> SchemaChangeTable.row(event, pipeline, stage, System.currentTimeMillis()), SchemaChangeTable.rowType())
                .uid(uidPrefix + "-rows")
                .name(stage + ": schema changes to lake rows");
        LakeTables.appendWithFlinkSink(rows, config.lake(), SchemaChangeTable.identifier(config.lake(), settings), uidPrefix + "-lake", 1);

        if (settings.sns() != null) {
            reported.process(new SchemaChangeNotification(settings.sns(), config.notifications(), pipeline, stage), TypeInformation.of(DeadLetter.class))
                    .uid(uidPrefix + "-sns")
                    .name(stage + ": schema changes to SNS")
                    .sinkTo(kafka.sink(new DeadLetterSerializer(settings.deadLetterTopic()), DeliveryGuarantee.AT_LEAST_ONCE, uidPrefix + "-dlq"))
                    .uid("sink-" + uidPrefix + "-dlq")
                    .name("schema-change dead-letter topic");
        }
    }

    private static void ensureTable(PipelineConfig config) {
        Catalog catalog = Catalogs.open(config.lake());
        try {
            SchemaChangeTable.ensure(catalog, config.lake(), config.schemaChanges());
        } finally {
            Catalogs.closeQuietly(catalog);
        }
    }
}
