package dev.tributary.jobs;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.PipelineConfig;
import dev.tributary.kafka.KafkaConnectionCheck;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Kafka sources and sinks of the jobs, configured one way: the pipeline's settings, the
 * authentication's ({@code kafka.auth}), then the user's {@code kafka.property.*}. With
 * {@code kafka.auth} set, the first source or sink asked for checks the credentials with one
 * connection, while the job graph is built, so that refused credentials stop the launch with a
 * message naming the mechanism, user and brokers (see {@link KafkaConnectionCheck}).
 */
public final class KafkaEndpoints {
    private final PipelineConfig config;
    private final String job;
    private boolean authenticationChecked;

    public KafkaEndpoints(PipelineConfig config, String job) {
        this.config = requireNonNull(config, "config is null");
        this.job = requireNonNull(job, "job is null");
    }

    /** Connection, group, read-committed isolation and starting offsets; bounded at the latest offsets when configured. */
    public <T> KafkaSourceBuilder<T> configureSource(KafkaSourceBuilder<T> builder, String groupId) {
        checkAuthentication();
        builder.setBootstrapServers(config.bootstrapServers())
                .setGroupId(groupId)
                .setProperties(userProperties())
                .setProperty("partition.discovery.interval.ms", "10000")
                .setProperty("isolation.level", "read_committed")
                .setStartingOffsets(startingOffsets());
        if (config.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder;
    }

    public OffsetsInitializer startingOffsets() {
        switch (config.startingOffsets()) {
            case LATEST:
                return OffsetsInitializer.latest();
            case COMMITTED:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default:
                return OffsetsInitializer.earliest();
        }
    }

    public <T> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> serializer, DeliveryGuarantee guarantee, String name) {
        checkAuthentication();
        // Defaults the user's kafka.property.* settings may override.
        Properties producer = new Properties();
        // Dead letters keep events up to the raw topic's own limit and more.
        producer.setProperty("max.request.size", Integer.toString(8 * 1024 * 1024));
        producer.setProperty("transaction.timeout.ms", "900000");
        producer.setProperty("compression.type", "lz4");
        // Alerts leave at once; the transactional outputs batch (they are visible at checkpoints anyway).
        producer.setProperty("linger.ms", guarantee == DeliveryGuarantee.AT_LEAST_ONCE ? "0" : "20");
        producer.setProperty("batch.size", Integer.toString(256 * 1024));
        producer.putAll(userProperties());
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(config.pipelineName() + "-" + job + "-" + name)
                .build();
    }

    /** The authentication's client properties and the user's {@code kafka.property.*}. */
    public Properties userProperties() {
        Properties properties = new Properties();
        properties.putAll(config.kafkaClientProperties());
        return properties;
    }

    /** Once, when {@code kafka.auth} is set: connects and throws a {@code KafkaAuthenticationException} if the credentials are refused. */
    public void checkAuthentication() {
        if (authenticationChecked) {
            return;
        }
        KafkaConnectionCheck.verify(config.kafkaAuth(), config.bootstrapServers(), config.kafkaClientProperties(), KafkaConnectionCheck.DEFAULT_TIMEOUT);
        authenticationChecked = true;
    }
}
