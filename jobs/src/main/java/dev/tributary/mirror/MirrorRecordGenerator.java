package dev.tributary.mirror;

import org.apache.flink.util.Collector;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecord;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecordGenerator;

/**
 * Mirror rows as the Dynamic Iceberg Sink's records: upserts keyed on the primary key (equality
 * deletes), distributed by that key so that one row's changes stay in order, on the main branch.
 * The tables are created and evolved before their rows get here ({@link ChangeToRow}, which plans a
 * lost schema commit again), so every row's schema is one the table has and the sink commits only data.
 */
public final class MirrorRecordGenerator implements DynamicRecordGenerator<MirrorRow> {
    private final int writeParallelism;

    public MirrorRecordGenerator(int writeParallelism) {
        this.writeParallelism = writeParallelism;
    }

    @Override
    public void generate(MirrorRow row, Collector<DynamicRecord> out) {
        DynamicRecord record = new DynamicRecord(row.table(), "main", row.schema(), row.row(), PartitionSpec.unpartitioned(),
                DistributionMode.NONE, writeParallelism);
        record.setUpsertMode(true);
        record.setEqualityFields(row.keyColumns());
        out.collect(record);
    }
}
