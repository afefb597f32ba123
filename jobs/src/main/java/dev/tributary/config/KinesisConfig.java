package dev.tributary.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Amazon Kinesis Data Streams for the telemetry job: the raw readings' source instead of Kafka
 * ({@code telemetry.source=kinesis}), and optional extra outputs for the enriched readings and
 * the alerts. Keys ({@code kinesis.*}) and defaults are in README.md ("Configuration").
 *
 * @param source where raw readings come from
 * @param streamArn the raw readings' stream, when the source is Kinesis
 * @param region the streams' region; by default the region in the stream's ARN
 * @param endpoint a Kinesis endpoint other than AWS's (a VPC endpoint, or kinesalite locally); null for AWS's
 * @param enrichedStreamArn when set, enriched readings are put on this stream as well as on the enriched topic
 * @param alertsStreamArn when set, alerts (structured CloudEvents) are put on this stream as well as on the alert topics
 * @param properties the connector's own client settings ({@code kinesis.property.<key>}), e.g.
 *     {@code aws.credentials.provider}
 */
public record KinesisConfig(
        Source source,
        String streamArn,
        String region,
        String endpoint,
        String enrichedStreamArn,
        String alertsStreamArn,
        Map<String, String> properties) implements java.io.Serializable {
    public static final String PROPERTY_PREFIX = "kinesis.property.";
    public static final Set<String> KEYS = Set.of("telemetry.source", "kinesis.stream-arn", "kinesis.region", "kinesis.endpoint",
            "kinesis.enriched-stream-arn", "kinesis.alerts-stream-arn");
    private static final Pattern STREAM_ARN = Pattern.compile("arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[A-Za-z0-9_.-]{1,128}");

    /** As a record's, with the client properties' secrets masked. */
    @Override
    public String toString() {
        return "KinesisConfig[source=" + source + ", streamArn=" + streamArn + ", region=" + region + ", endpoint=" + endpoint
                + ", enrichedStreamArn=" + enrichedStreamArn + ", alertsStreamArn=" + alertsStreamArn + ", properties=" + SecretKeys.shown(properties) + "]";
    }

    /** {@code telemetry.source}: {@code kafka} or {@code kinesis}. */
    public enum Source { KAFKA, KINESIS }

    public KinesisConfig {
        requireNonNull(source, "source is null");
        properties = Map.copyOf(properties);
    }

    public static KinesisConfig from(ConfigValues reader) {
        Source source = reader.choice("telemetry.source", Source.class, Source.KAFKA);
        String stream = streamArn(reader, "kinesis.stream-arn");
        if (source == Source.KINESIS && stream == null) {
            throw new ConfigException("Missing required configuration key 'kinesis.stream-arn' (needed by telemetry.source=kinesis)");
        }
        String enriched = streamArn(reader, "kinesis.enriched-stream-arn");
        String alerts = streamArn(reader, "kinesis.alerts-stream-arn");
        String region = reader.string("kinesis.region", null);
        String anyStream = stream != null ? stream : enriched != null ? enriched : alerts;
        if (region == null && anyStream != null) {
            region = Arns.region(anyStream);
        }
        return new KinesisConfig(source, stream, region, reader.string("kinesis.endpoint", null), enriched, alerts,
                reader.withPrefix(PROPERTY_PREFIX));
    }

    private static String streamArn(ConfigValues reader, String key) {
        String value = reader.string(key, null);
        if (value != null && !STREAM_ARN.matcher(value).matches()) {
            throw new ConfigException(key, value, "expected a Kinesis stream ARN, arn:aws:kinesis:<region>:<account>:stream/<name>");
        }
        return value;
    }

    /** The stream's name, the last part of its ARN. */
    public static String streamName(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /**
     * The connector's client properties: region, endpoint, then the user's {@code kinesis.property.*}.
     * (Against kinesalite, the task managers also need the SDK's CBOR format off:
     * {@code -Daws.cborEnabled=false} for the sink, and
     * {@code -Dorg.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor=true} for the consumer.)
     */
    public Properties clientProperties() {
        Properties client = new Properties();
        if (region != null) {
            client.setProperty("aws.region", region);
        }
        if (endpoint != null) {
            client.setProperty("aws.endpoint", endpoint);
            if (endpoint.startsWith("http://")) {
                // HTTP/2, the sink's default for Kinesis, needs TLS.
                client.setProperty("aws.http.protocol.version", "HTTP1_1");
            }
        }
        client.putAll(properties);
        return client;
    }
}
