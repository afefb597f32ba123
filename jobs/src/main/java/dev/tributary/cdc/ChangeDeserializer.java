package dev.tributary.cdc;

import dev.tributary.deadletter.DeadLetter;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads Debezium change topics into routed row changes; unreadable records become dead letters. */
public final class ChangeDeserializer implements KafkaRecordDeserializationSchema<ParsedChange> {
    public static final String STAGE = "cdc";

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedChange> out) {
        try {
            for (RowChange change : ChangeRouter.route(record.value())) {
                out.collect(new ParsedChange(change, null));
            }
        } catch (IOException | IllegalArgumentException e) {
            out.collect(new ParsedChange(null, new DeadLetter(record.topic(), record.partition(), record.offset(),
                    record.timestamp(), record.key(), record.value(), "unreadable change event: " + e.getMessage(), STAGE)));
        }
    }

    @Override
    public TypeInformation<ParsedChange> getProducedType() {
        return TypeInformation.of(ParsedChange.class);
    }
}
