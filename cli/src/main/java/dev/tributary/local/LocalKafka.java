package dev.tributary.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker in this JVM: one combined broker and controller in KRaft mode, from
 * Kafka's own test kit. Sized for one machine: replication factor 1 everywhere, so that
 * transactions (exactly-once sinks) work with a single node.
 */
public final class LocalKafka implements AutoCloseable {
    /** Largest record the local broker accepts: room for the 1 MB events the tests send. */
    public static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private LocalKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    public static LocalKafka start() throws Exception {
        return start(0);
    }

    /** Starts the broker with its client listener on {@code port} (0 for any free port). */
    public static LocalKafka start(int port) throws Exception {
        return start(port, Map.of());
    }

    /**
     * Starts the broker with broker properties of the caller's on top of ours: more listeners
     * (which must keep {@code EXTERNAL} and {@code CONTROLLER}, both plaintext), SASL, TLS. The
     * {@link #admin()} and {@link #bootstrapServers()} stay on the plaintext {@code EXTERNAL} listener.
     */
    public static LocalKafka start(int port, Map<String, String> brokerProperties) throws Exception {
        Ports.requireFree(port, "Kafka broker", "--kafka-port");
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("transaction.max.timeout.ms", "3600000")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES))
                .setConfigProp("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES))
                .setConfigProp("num.partitions", "2")
                .setConfigProp("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // On loopback only (the test kit only fills in the listeners when none are set, with "localhost").
        builder.setConfigProp("listeners", "EXTERNAL://" + LocalFlink.LOOPBACK + ":" + port + ",CONTROLLER://" + LocalFlink.LOOPBACK + ":0");
        brokerProperties.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new LocalKafka(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** {@code localhost:<port>} of a listener by name (one given to {@link #start(int, Map)}). */
    public String bootstrapServers(String listener) {
        return "localhost:" + cluster.brokers().values().iterator().next().boundPort(new org.apache.kafka.common.network.ListenerName(listener));
    }

    public Admin admin() {
        return admin;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Collection<TopicSpec> topics) throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec topic : topics) {
            if (!existing.contains(topic.name())) {
                missing.add(new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.configs()));
            }
        }
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers());
        return properties;
    }

    @Override
    public void close() throws Exception {
        admin.close();
        cluster.close();
    }

    /** A topic to create: name, partitions and topic-level configs. */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {
        public static TopicSpec of(String name, int partitions) {
            return new TopicSpec(name, partitions, Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)));
        }
    }
}
