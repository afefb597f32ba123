package dev.tributary.deadletter;

import static java.util.Objects.requireNonNull;

/**
 * An input record the pipeline could not use, kept whole: its original key and value bytes,
 * where it came from, and why it was refused. Written to the dead-letter topic with the
 * original bytes as the value and the rest in {@code tributary.dlq.*} headers.
 *
 * @param value the original bytes; null for a Kafka record with a null value
 * @param sourceSequenceNumber the Kinesis sequence number of the record (its offset is then -1); null for Kafka
 */
public record DeadLetter(
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        long sourceTimestamp,
        byte[] key,
        byte[] value,
        String reason,
        String stage,
        String sourceSequenceNumber) {

    /** A dead letter of a Kafka record. */
    public DeadLetter(String sourceTopic, int sourcePartition, long sourceOffset, long sourceTimestamp, byte[] key, byte[] value,
                      String reason, String stage) {
        this(sourceTopic, sourcePartition, sourceOffset, sourceTimestamp, key, value, reason, stage, null);
    }

    public DeadLetter {
        requireNonNull(sourceTopic, "sourceTopic is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(stage, "stage is null");
    }
}
