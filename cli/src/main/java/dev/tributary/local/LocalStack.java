package dev.tributary.local;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.PipelineConfig;
import dev.tributary.mirror.LakeMirrorJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * The embedded local stack: a Kafka broker (KRaft), a Flink MiniCluster with its web UI, and
 * an Iceberg catalog over a warehouse directory. The demo and the tests run on it alike.
 */
public final class LocalStack implements AutoCloseable {
    private final LocalKafka kafka;
    private final LocalFlink flink;
    private final LocalLake lake;

    private LocalStack(LocalKafka kafka, LocalFlink flink, LocalLake lake) {
        this.kafka = kafka;
        this.flink = flink;
        this.lake = lake;
    }

    public static LocalStack start(Path lakeDirectory, int webPort, int slots) throws Exception {
        return start(lakeDirectory, webPort, slots, Map.of());
    }

    /** As {@link #start(Path, int, int)}, with more broker properties (see {@link LocalKafka#start(int, Map)}). */
    public static LocalStack start(Path lakeDirectory, int webPort, int slots, Map<String, String> brokerProperties) throws Exception {
        LocalLake lake = LocalLake.create(lakeDirectory);
        // Flink first: it checks its web port, so a taken port is named before Kafka starts.
        LocalFlink flink = LocalFlink.start(webPort, slots, lake.checkpoints());
        try {
            return new LocalStack(LocalKafka.start(0, brokerProperties), flink, lake);
        } catch (Exception e) {
            flink.close();
            throw e;
        }
    }

    public LocalKafka kafka() {
        return kafka;
    }

    public LocalFlink flink() {
        return flink;
    }

    public LocalLake lake() {
        return lake;
    }

    public Admin admin() {
        return kafka.admin();
    }

    /** A pipeline configuration pointing at this stack, with {@code overrides} on top. */
    public PipelineConfig pipelineConfig(Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        values.putAll(lake.configuration());
        values.put("job.parallelism", Integer.toString(flink.slots()));
        values.putAll(overrides);
        return PipelineConfig.from(values);
    }

    /** Creates the pipeline's topics: raw telemetry, enriched, alerts (each routed one), schema changes, dead letters (the alerts' and schema changes' too). */
    public void createTopics(PipelineConfig config, int telemetryPartitions) throws Exception {
        requireNonNull(config, "config is null");
        List<LocalKafka.TopicSpec> topics = new java.util.ArrayList<>(List.of(
                LocalKafka.TopicSpec.of(config.telemetryTopic(), telemetryPartitions),
                LocalKafka.TopicSpec.of(config.enrichedTopic(), telemetryPartitions),
                LocalKafka.TopicSpec.of(config.deadLetterTopic(), 1),
                LocalKafka.TopicSpec.of(config.notifications().deadLetterTopic(), 1),
                LocalKafka.TopicSpec.of(config.mirror().schemaChangeTopic(), 1),
                LocalKafka.TopicSpec.of(config.schemaChanges().deadLetterTopic(), 1)));
        for (String alerts : config.alertTopics()) {
            topics.add(LocalKafka.TopicSpec.of(alerts, 2));
        }
        kafka.createTopics(topics);
    }

    /** Creates the lake mirror's own topics: its dead letters, schema-change events and their dead letters. */
    public void createMirrorTopics(PipelineConfig config) throws Exception {
        kafka.createTopics(List.of(
                LocalKafka.TopicSpec.of(config.mirror().deadLetterTopic(), 1),
                LocalKafka.TopicSpec.of(config.mirror().schemaChangeTopic(), 1),
                LocalKafka.TopicSpec.of(config.schemaChanges().deadLetterTopic(), 1)));
    }

    /** Submits the lake-mirror job, from a checkpoint or savepoint when {@code restoreFrom} is set. */
    public JobID submitMirror(PipelineConfig config, Path restoreFrom) throws Exception {
        StreamExecutionEnvironment env = flink.newEnvironment();
        LakeMirrorJob.configure(env, config);
        new LakeMirrorJob(config).build(env);
        return flink.submit(env, LakeMirrorJob.NAME, restoreFrom);
    }

    public Properties clientProperties() {
        return kafka.clientProperties();
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        try {
            flink.close();
        } catch (Exception e) {
            failure = e;
        }
        try {
            kafka.close();
        } catch (Exception e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
