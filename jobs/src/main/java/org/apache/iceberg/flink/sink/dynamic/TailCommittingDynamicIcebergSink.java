package org.apache.iceberg.flink.sink.dynamic;

import dev.tributary.lake.EndOfInputCommittables;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkWriteConf;

/**
 * Tributary's addition to Iceberg's Dynamic Iceberg Sink (kept in Iceberg's package because the
 * sink's constructor and its builder's factory method are package-private): the same sink, with
 * {@link EndOfInputCommittables} between its write-result aggregator and Flink's committer, so
 * that a bounded job commits the rows it wrote after its last regular checkpoint. Everything
 * else (routing, table creation, schema evolution, exactly-once commits) is Iceberg's.
 *
 * <p>Use {@link #forInput(DataStream)} where {@code DynamicIcebergSink.forInput} would be used.
 */
public final class TailCommittingDynamicIcebergSink extends DynamicIcebergSink {
    private final String endOfInputUid;

    private TailCommittingDynamicIcebergSink(CatalogLoader catalogLoader, Map<String, String> snapshotProperties, String uidPrefix,
                                             Map<String, String> writeProperties, FlinkWriteConf flinkWriteConf, int cacheMaximumSize) {
        super(catalogLoader, snapshotProperties, uidPrefix, writeProperties, flinkWriteConf, cacheMaximumSize);
        this.endOfInputUid = uidPrefix.isEmpty() ? "end-of-input-committables" : uidPrefix + "-end-of-input-committables";
    }

    public static <T> Builder<T> forInput(DataStream<T> input) {
        return new TailCommittingBuilder<T>().forInput(input);
    }

    @Override
    public DataStream<CommittableMessage<DynamicCommittable>> addPreCommitTopology(DataStream<CommittableMessage<DynamicWriteResult>> writeResults) {
        DataStream<CommittableMessage<DynamicCommittable>> aggregated = super.addPreCommitTopology(writeResults);
        return aggregated
                .transform("end-of-input committables", aggregated.getType(), new EndOfInputCommittables<DynamicCommittable>())
                .uid(endOfInputUid);
    }

    /** Iceberg's builder, remembering what its own {@code instantiateSink} reads from private fields. */
    private static final class TailCommittingBuilder<T> extends Builder<T> {
        private CatalogLoader catalogLoader;
        private String uidPrefix = "";
        private final Map<String, String> snapshotProperties = new HashMap<>();
        private int cacheMaximumSize = 100;

        @Override
        public Builder<T> catalogLoader(CatalogLoader newCatalogLoader) {
            this.catalogLoader = newCatalogLoader;
            return super.catalogLoader(newCatalogLoader);
        }

        @Override
        public Builder<T> uidPrefix(String newPrefix) {
            this.uidPrefix = newPrefix == null ? "" : newPrefix;
            return super.uidPrefix(newPrefix);
        }

        @Override
        public Builder<T> snapshotProperties(Map<String, String> properties) {
            snapshotProperties.putAll(properties);
            return super.snapshotProperties(properties);
        }

        @Override
        public Builder<T> setSnapshotProperty(String property, String value) {
            snapshotProperties.put(property, value);
            return super.setSnapshotProperty(property, value);
        }

        @Override
        public Builder<T> cacheMaxSize(int maxSize) {
            this.cacheMaximumSize = maxSize;
            return super.cacheMaxSize(maxSize);
        }

        @Override
        DynamicIcebergSink instantiateSink(Map<String, String> writeProperties, FlinkWriteConf flinkWriteConf) {
            return new TailCommittingDynamicIcebergSink(catalogLoader, snapshotProperties, uidPrefix, writeProperties, flinkWriteConf,
                    cacheMaximumSize);
        }
    }
}
