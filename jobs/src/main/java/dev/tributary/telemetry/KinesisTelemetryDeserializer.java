package dev.tributary.telemetry;

import dev.tributary.config.DriftConfig;
import dev.tributary.lake.TelemetryLakeLayout;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Raw readings from Kinesis, parsed in the source as from Kafka ({@link TelemetryDeserializer}):
 * the stream's name stands for the topic, the shard's number for the partition, and the
 * sequence number is kept in the reading's source position and in dead letters. The partition
 * key is the record's key; the approximate arrival time its timestamp. Never throws.
 */
public final class KinesisTelemetryDeserializer implements KinesisDeserializationSchema<ParsedTelemetry> {
    private final TelemetryDeserializer.Parsing parsing;

    public KinesisTelemetryDeserializer(ReadingLimits limits, DriftConfig drift, TelemetryLakeLayout layout, CatalogLoader catalog) {
        this.parsing = new TelemetryDeserializer.Parsing(limits, drift, layout, catalog);
    }

    @Override
    public ParsedTelemetry deserialize(byte[] value, String partitionKey, String sequenceNumber, long arrivalTimestamp, String stream, String shardId) {
        byte[] key = partitionKey == null ? null : partitionKey.getBytes(StandardCharsets.UTF_8);
        return parsing.parse(RecordOrigin.kinesis(stream, shardId, sequenceNumber), arrivalTimestamp, key, value);
    }

    @Override
    public TypeInformation<ParsedTelemetry> getProducedType() {
        return TypeInformation.of(ParsedTelemetry.class);
    }
}
