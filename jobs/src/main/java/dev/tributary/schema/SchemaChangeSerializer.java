package dev.tributary.schema;

import static java.util.Objects.requireNonNull;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Schema changes to Kafka as binary-mode CloudEvents. */
public final class SchemaChangeSerializer implements KafkaRecordSerializationSchema<SchemaChangeEvent> {
    private final String topic;
    private final String pipeline;
    private final String stage;
    private transient SchemaChangeCloudEvents events;

    public SchemaChangeSerializer(String topic, String pipeline, String stage) {
        this.topic = requireNonNull(topic, "topic is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.stage = requireNonNull(stage, "stage is null");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(SchemaChangeEvent event, KafkaSinkContext context, Long timestamp) {
        if (events == null) {
            events = new SchemaChangeCloudEvents(pipeline, stage);
        }
        return events.toKafkaRecord(topic, event);
    }
}
