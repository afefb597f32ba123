package dev.tributary.capture;

import dev.tributary.kafka.KafkaConnectionCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change events to Kafka: an idempotent producer with {@code acks=all}, topics created on first
 * use (as Kafka Connect's topic creation does), and a flush that fails if any send failed.
 * With {@code kafka.auth} set, the credentials are checked once before the producer starts, so
 * that refused ones stop the service with a clear message.
 */
public final class KafkaChangeSink implements ChangeSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaChangeSink.class);

    private final CaptureConfig config;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaChangeSink(CaptureConfig config) {
        this.config = config;
        Properties properties = new Properties();
        properties.put("bootstrap.servers", config.bootstrapServers());
        properties.put("acks", "all");
        properties.put("enable.idempotence", "true");
        properties.put("compression.type", "lz4");
        properties.put("linger.ms", "5");
        properties.put("client.id", "tributary-capture-" + config.name());
        properties.putAll(config.kafkaClientProperties());
        KafkaConnectionCheck.verify(config.kafkaAuth(), config.bootstrapServers(), config.kafkaClientProperties(), KafkaConnectionCheck.DEFAULT_TIMEOUT);
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> adminProperties = new java.util.HashMap<>(config.kafkaClientProperties());
        adminProperties.put("bootstrap.servers", config.bootstrapServers());
        this.admin = Admin.create(adminProperties);
    }

    @Override
    public void send(String topic, byte[] key, byte[] value, Long timestamp) {
        ensureTopic(topic);
        producer.send(new ProducerRecord<>(topic, null, timestamp, key, value), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
        Exception error = failure.getAndSet(null);
        if (error != null) {
            throw new IllegalStateException("Kafka did not acknowledge change events; offsets stay at the last acknowledged batch", error);
        }
    }

    private void ensureTopic(String topic) {
        if (knownTopics.contains(topic)) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(config.topicPartitions()), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.info("Created topic {} with {} partition(s)", topic, config.topicPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + topic, e);
        }
        knownTopics.add(topic);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(5));
    }
}
