package dev.tributary.cli;

import dev.tributary.alerts.AlertCloudEvents;
import dev.tributary.config.ConfigException;
import dev.tributary.config.PipelineConfig;
import dev.tributary.jobs.ConfigSource;
import dev.tributary.kafka.KafkaConnectionCheck;
import dev.tributary.format.InvalidRecordException;
import dev.tributary.schemas.alerts.Alert;
import io.cloudevents.CloudEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Alerts as people on call see them.",
        subcommands = {AlertsCommand.Tail.class})
final class AlertsCommand {
    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = {"Subscribes to the alert topics (the main one and every routed one: <topic>.<type> or <topic>.<severity>)",
                    "and prints each alert as it arrives, once per CloudEvent id and source, until interrupted."})
    static final class Tail implements Callable<Integer> {
        static final String DEFAULT_SERVERS = "localhost:9092";
        static final String DEFAULT_TOPIC = "fleet.alerts";

        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE",
                description = {"The pipeline's configuration (a properties file, or s3://bucket/key): the Kafka servers, their authentication",
                        "(kafka.auth, kafka.truststore.location, kafka.property.*) and topic.alerts come from it."})
        String config;

        @Option(names = "--set", paramLabel = "key=value", description = "A pipeline configuration key=value on top of --config (repeatable).")
        Map<String, String> overrides = new LinkedHashMap<>();

        @Option(names = "--bootstrap-servers", description = "Kafka (default: the configuration's kafka.bootstrap-servers, else " + DEFAULT_SERVERS + ").")
        String bootstrapServers;

        @Option(names = "--topic", description = "The alert topic, as topic.alerts names it (default: the configuration's, else " + DEFAULT_TOPIC + ").")
        String topic;

        @Option(names = "--type", description = "Only alerts of this type (e.g. battery_low).")
        String type;

        @Option(names = "--severity", description = "Only alerts of this severity (warning or alarm).")
        String severity;

        @Option(names = "--from-beginning", description = "Start with the alerts already in the topics.")
        boolean fromBeginning;

        @Option(names = "--duration", description = "Stop after this long (e.g. 30s); by default run until interrupted.")
        Duration duration;

        @Option(names = "--property", description = "A Kafka consumer property key=value (repeatable), on top of the configuration's.")
        Map<String, String> properties = new LinkedHashMap<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (severity != null && !severity.equals("warning") && !severity.equals("alarm")) {
                spec.commandLine().getErr().println("error: --severity: expected warning or alarm, found '" + severity + "'");
                return 2;
            }
            if (config == null && !overrides.isEmpty()) {
                throw new ConfigException("--set needs --config (the pipeline configuration it adds to)");
            }
            PipelineConfig pipeline = config == null ? null
                    : PipelineConfig.from(ConfigSource.parse(config).read(overrides), Tributary.environment(spec));
            String servers = bootstrapServers != null ? bootstrapServers : pipeline != null ? pipeline.bootstrapServers() : DEFAULT_SERVERS;
            String alertTopic = topic != null ? topic : pipeline != null ? pipeline.alertsTopic() : DEFAULT_TOPIC;
            Map<String, String> client = new LinkedHashMap<>(pipeline == null ? Map.of() : pipeline.kafkaClientProperties());
            client.putAll(properties);
            if (pipeline != null) {
                // Refused credentials stop here, with the mechanism, user and servers (never the password).
                KafkaConnectionCheck.verify(pipeline.kafkaAuth(), servers, client, KafkaConnectionCheck.DEFAULT_TIMEOUT);
            }
            Properties consumerConfig = new Properties();
            consumerConfig.putAll(client);
            consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "tributary-alerts-tail-" + UUID.randomUUID());
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumerConfig.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            AlertCloudEvents events = new AlertCloudEvents("tail");
            Set<String> seen = new HashSet<>();
            out.println("Following " + alertTopic + " and its routed topics on " + servers
                    + (pipeline == null ? "" : " (" + pipeline.kafkaAuth().describe() + ")")
                    + (type == null ? "" : ", type " + type) + (severity == null ? "" : ", severity " + severity) + " ...");
            out.flush();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                Thread main = Thread.currentThread();
                Thread hook = new Thread(consumer::wakeup, "alerts-tail-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                consumer.subscribe(topics(alertTopic));
                try {
                    while (System.nanoTime() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(java.time.Duration.ofMillis(200))) {
                            print(record, events, seen, out);
                        }
                        out.flush();
                    }
                } catch (WakeupException e) {
                    // interrupted: stop quietly
                } finally {
                    if (main.isAlive()) {
                        try {
                            Runtime.getRuntime().removeShutdownHook(hook);
                        } catch (IllegalStateException e) {
                            // shutting down
                        }
                    }
                }
            }
            return 0;
        }

        /** The alert topic and its routed ones ({@code <topic>.<type>}, {@code <topic>.<severity>}), not the dead letters. */
        static Pattern topics(String topic) {
            return Pattern.compile(Pattern.quote(topic) + "(\\.(?!dlq$)[A-Za-z0-9_-]+)?");
        }

        private void print(ConsumerRecord<byte[], byte[]> record, AlertCloudEvents events, Set<String> seen, PrintWriter out) {
            CloudEvent event;
            Alert alert;
            try {
                event = AlertCloudEvents.fromKafkaRecord(record);
                alert = events.alertOf(event);
            } catch (InvalidRecordException | RuntimeException e) {
                out.println("(unreadable record at " + record.topic() + "/" + record.partition() + "@" + record.offset() + ": " + e.getMessage() + ")");
                return;
            }
            if (!seen.add(event.getSource() + " " + event.getId())) {
                return;
            }
            if ((type != null && !type.equals(alert.getAlertType())) || (severity != null && !severity.equals(alert.getSeverity()))) {
                return;
            }
            out.println(line(alert));
        }

        /** One alert, one line: time, severity, status, type, entity, explanation. */
        static String line(Alert alert) {
            return String.format(Locale.ROOT, "%s  %-7s  %-9s  %-20s  %s %s  %s", alert.getObservedAt(), alert.getSeverity(), alert.getStatus(),
                    alert.getAlertType(), alert.getEntityType(), alert.getEntityId(), alert.getExplanation());
        }
    }
}
