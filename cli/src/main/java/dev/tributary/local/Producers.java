package dev.tributary.local;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producers for what devices and databases send: idempotent, batched, compressed. */
public final class Producers {
    private Producers() {}

    public static KafkaProducer<byte[], byte[]> create(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("acks", "all");
        properties.put("enable.idempotence", "true");
        properties.put("linger.ms", "5");
        properties.put("batch.size", Integer.toString(256 * 1024));
        properties.put("compression.type", "lz4");
        properties.put("max.request.size", Integer.toString(LocalKafka.MAX_MESSAGE_BYTES));
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
