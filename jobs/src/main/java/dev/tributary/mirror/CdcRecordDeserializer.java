package dev.tributary.mirror;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Change topics read as they are; decoding happens in {@link ChangeToRow}, where a failure can become a dead letter. */
public final class CdcRecordDeserializer implements KafkaRecordDeserializationSchema<CdcRecord> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CdcRecord> out) {
        out.collect(new CdcRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(), record.value()));
    }

    @Override
    public TypeInformation<CdcRecord> getProducedType() {
        return TypeInformation.of(CdcRecord.class);
    }
}
