package dev.tributary.telemetry;

import static java.util.Objects.requireNonNull;

import dev.tributary.deadletter.DeadLetter;

/**
 * Where a raw telemetry record was read: a Kafka topic, partition and offset, or a Kinesis
 * stream, shard number and sequence number (then {@code offset} is -1).
 *
 * @param topic the Kafka topic or the Kinesis stream's name
 * @param partition the Kafka partition or the number of the Kinesis shard ({@code shardId-000000000004} is 4)
 * @param sequenceNumber the Kinesis sequence number; null for Kafka
 */
public record RecordOrigin(String topic, int partition, long offset, String sequenceNumber) {
    public RecordOrigin {
        requireNonNull(topic, "topic is null");
    }

    /** A Kafka record at {@code topic}, {@code partition}, {@code offset}. */
    public static RecordOrigin kafka(String topic, int partition, long offset) {
        return new RecordOrigin(topic, partition, offset, null);
    }

    /** A Kinesis record of {@code stream}, read from {@code shardId}. */
    public static RecordOrigin kinesis(String stream, String shardId, String sequenceNumber) {
        return new RecordOrigin(stream, shardNumber(shardId), -1, requireNonNull(sequenceNumber, "sequenceNumber is null"));
    }

    /** The number at the end of a shard id ({@code shardId-000000000004}); -1 when it has none. */
    static int shardNumber(String shardId) {
        int start = shardId.lastIndexOf('-') + 1;
        try {
            return Integer.parseInt(shardId.substring(start));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    DeadLetter deadLetter(long timestamp, byte[] key, byte[] value, String reason, String stage) {
        return new DeadLetter(topic, partition, offset, timestamp, key, value, reason, stage, sequenceNumber);
    }
}
