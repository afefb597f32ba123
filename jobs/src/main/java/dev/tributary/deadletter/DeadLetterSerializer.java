package dev.tributary.deadletter;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Dead letters on Kafka: the original key and value unchanged, and headers that say why and
 * from where, so that a fixed record can be replayed to its source topic as it was.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    public static final String HEADER_REASON = "tributary.dlq.reason";
    public static final String HEADER_STAGE = "tributary.dlq.stage";
    public static final String HEADER_TOPIC = "tributary.dlq.source.topic";
    public static final String HEADER_PARTITION = "tributary.dlq.source.partition";
    public static final String HEADER_OFFSET = "tributary.dlq.source.offset";
    public static final String HEADER_TIMESTAMP = "tributary.dlq.source.timestamp";
    /** Only for records read from Kinesis. */
    public static final String HEADER_SEQUENCE_NUMBER = "tributary.dlq.source.sequence-number";

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = requireNonNull(topic, "topic is null");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        List<Header> headers = new ArrayList<>(6);
        headers.add(new RecordHeader(HEADER_REASON, letter.reason().getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(HEADER_STAGE, letter.stage().getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(HEADER_TOPIC, letter.sourceTopic().getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(HEADER_PARTITION, Integer.toString(letter.sourcePartition()).getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(HEADER_OFFSET, Long.toString(letter.sourceOffset()).getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(HEADER_TIMESTAMP, Long.toString(letter.sourceTimestamp()).getBytes(StandardCharsets.UTF_8)));
        if (letter.sourceSequenceNumber() != null) {
            headers.add(new RecordHeader(HEADER_SEQUENCE_NUMBER, letter.sourceSequenceNumber().getBytes(StandardCharsets.UTF_8)));
        }
        return new ProducerRecord<>(topic, null, null, letter.key(), letter.value(), headers);
    }

    public static String header(org.apache.kafka.common.header.Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
