package dev.tributary.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reading whole topics back: what the demo, the benchmarks and the tests check. */
public final class Topics {
    private Topics() {}

    /** Reads every record of a topic from the beginning up to its current end. */
    public static void readAll(String bootstrapServers, String topic, IsolationLevel isolation, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        readAll(bootstrapServers, Map.of(), topic, isolation, handler);
    }

    /** As {@link #readAll(String, String, IsolationLevel, Consumer)}, with more client properties (authentication). */
    public static void readAll(String bootstrapServers, Map<String, String> clientProperties, String topic, IsolationLevel isolation,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, clientProperties, isolation)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!reached(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handler.accept(record);
                }
            }
        }
    }

    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic, IsolationLevel isolation) {
        return readAll(bootstrapServers, Map.of(), topic, isolation);
    }

    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, Map<String, String> clientProperties, String topic, IsolationLevel isolation) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        readAll(bootstrapServers, clientProperties, topic, isolation, records::add);
        return records;
    }

    /** Records a read-committed consumer sees in the topic now. */
    public static long countCommitted(String bootstrapServers, String topic) {
        long[] count = {0};
        readAll(bootstrapServers, topic, IsolationLevel.READ_COMMITTED, record -> count[0]++);
        return count[0];
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, Map<String, String> clientProperties, IsolationLevel isolation) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("isolation.level", isolation.toString());
        properties.put("enable.auto.commit", "false");
        properties.put("max.partition.fetch.bytes", Integer.toString(LocalKafka.MAX_MESSAGE_BYTES));
        properties.put("fetch.max.bytes", Integer.toString(4 * LocalKafka.MAX_MESSAGE_BYTES));
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
