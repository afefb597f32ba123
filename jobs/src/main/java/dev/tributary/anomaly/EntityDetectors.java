package dev.tributary.anomaly;

import static java.util.Objects.requireNonNull;

import dev.tributary.alerts.RuleEngine;
import dev.tributary.schemas.alerts.Alert;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The statistical detection of one entity: a {@link StreamingAnomalyDetector} per metric,
 * fed the entity's window means in event-time order, and the alert lifecycle on top:
 * <ul>
 *   <li>opened (warning) when a metric's detector reports an anomaly;
 *   <li>escalated (alarm) when, in a later window, the signal is still over its threshold;
 *   <li>resolved at the first window where it is not.
 * </ul>
 * The alert id is a name-based UUID of the alert type, the entity, the metric and the window
 * where it opened, so a replay produces the same CloudEvent ids. An entity opens at most
 * {@code maxOpenedPerHour} alerts per hour of event time across its metrics; a report beyond
 * that is not sent (and counted, {@link #takeSuppressed()}).
 */
public final class EntityDetectors {
    public static final String TYPE = "metric_anomaly";
    public static final int DEFAULT_MAX_OPENED_PER_HOUR = 6;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final StreamingAnomalyDetector[] detectors;
    /** Per metric: the start of the open occurrence's window, or -1; and whether it escalated. */
    private final long[] openSince;
    private final boolean[] escalated;
    private final int maxOpenedPerHour;
    /** Window starts of the alerts opened in the last hour. */
    private final ArrayDeque<Long> openedAt;
    private long suppressed;

    public EntityDetectors(DetectorSettings settings, int metrics) {
        this(settings, metrics, DEFAULT_MAX_OPENED_PER_HOUR);
    }

    public EntityDetectors(DetectorSettings settings, int metrics, int maxOpenedPerHour) {
        requireNonNull(settings, "settings is null");
        if (maxOpenedPerHour <= 0) {
            throw new IllegalArgumentException("maxOpenedPerHour must be positive");
        }
        this.maxOpenedPerHour = maxOpenedPerHour;
        this.openedAt = new ArrayDeque<>();
        this.detectors = new StreamingAnomalyDetector[metrics];
        for (int i = 0; i < metrics; i++) {
            detectors[i] = new StreamingAnomalyDetector(settings);
        }
        this.openSince = new long[metrics];
        java.util.Arrays.fill(openSince, -1);
        this.escalated = new boolean[metrics];
    }

    private EntityDetectors(StreamingAnomalyDetector[] detectors, long[] openSince, boolean[] escalated, int maxOpenedPerHour, ArrayDeque<Long> openedAt) {
        this.detectors = detectors;
        this.openSince = openSince;
        this.escalated = escalated;
        this.maxOpenedPerHour = maxOpenedPerHour;
        this.openedAt = openedAt;
    }

    /** Feeds one window's means; returns the alerts it opens, escalates or resolves. */
    public List<Alert> observe(WindowAggregate window, MetricPaths metrics, Duration windowSize) {
        List<Alert> alerts = new ArrayList<>(1);
        for (int i = 0; i < detectors.length; i++) {
            double value = window.means()[i];
            if (Double.isNaN(value)) {
                continue;
            }
            Detection detection = detectors[i].update(value);
            String metric = metrics.names().get(i);
            if (detection.anomalous() && openSince[i] < 0) {
                while (!openedAt.isEmpty() && openedAt.peekFirst() <= window.windowStart() - HOUR) {
                    openedAt.pollFirst();
                }
                if (openedAt.size() >= maxOpenedPerHour) {
                    suppressed++;
                    continue;
                }
                openedAt.addLast(window.windowStart());
                openSince[i] = window.windowStart();
                escalated[i] = false;
                alerts.add(alert(window, i, metric, value, detection, RuleEngine.OPENED, "warning", windowSize));
            } else if (openSince[i] >= 0 && detection.signalled() && !escalated[i]) {
                escalated[i] = true;
                alerts.add(alert(window, i, metric, value, detection, RuleEngine.ESCALATED, "alarm", windowSize));
            } else if (openSince[i] >= 0 && !detection.signalled()) {
                alerts.add(alert(window, i, metric, value, detection, RuleEngine.RESOLVED, escalated[i] ? "alarm" : "warning", windowSize));
                openSince[i] = -1;
                escalated[i] = false;
            }
        }
        return alerts;
    }

    private Alert alert(WindowAggregate window, int index, String metric, double value, Detection detection, String status, String severity, Duration windowSize) {
        long since = openSince[index] >= 0 ? openSince[index] : window.windowStart();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("metric", metric);
        values.put("window_mean", format(value));
        values.put("window_readings", Long.toString(window.readings()));
        values.put("forest_score", format(detection.forestScore()));
        values.put("likelihood", format(detection.likelihood()));
        values.put("novelty", format(detection.novelty()));
        DetectorSettings settings = detectors[index].settings();
        String entity = window.entityType() + " " + window.entityId();
        String explanation = switch (status) {
            case RuleEngine.OPENED -> String.format(Locale.ROOT, "%s averaged %s over the %s window from %s, unusual for %s (%s).",
                    metric, format(value), windowSize, Instant.ofEpochMilli(window.windowStart()), entity, describe(detection));
            case RuleEngine.ESCALATED -> String.format(Locale.ROOT, "%s of %s is still unusual: %s in the window from %s (%s).",
                    metric, entity, format(value), Instant.ofEpochMilli(window.windowStart()), describe(detection));
            default -> String.format(Locale.ROOT, "%s of %s is back to usual: %s in the window from %s.",
                    metric, entity, format(value), Instant.ofEpochMilli(window.windowStart()));
        };
        return Alert.newBuilder()
                .setAlertId(RuleEngine.alertId(TYPE + "|" + metric, window.entityId(), since))
                .setAlertType(TYPE)
                .setStatus(status)
                .setSeverity(severity)
                .setEntityType(window.entityType())
                .setEntityId(window.entityId())
                .setDeviceId(window.deviceId())
                .setVehicleId(window.vehicleId())
                .setConditionSince(Instant.ofEpochMilli(since))
                .setObservedAt(Instant.ofEpochMilli(window.windowEnd()))
                .setRule(rule(metric, windowSize, settings))
                .setThreshold(threshold(settings))
                .setObservedValues(values)
                .setExplanation(explanation)
                .setTriggerEventId(null)
                .build();
    }

    /** The state of every detector and open alert, for checkpoints. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(maxOpenedPerHour);
            out.writeInt(openedAt.size());
            for (long opened : openedAt) {
                out.writeLong(opened);
            }
            out.writeInt(detectors.length);
            for (int i = 0; i < detectors.length; i++) {
                out.writeLong(openSince[i]);
                out.writeBoolean(escalated[i]);
                byte[] detector = detectors[i].toBytes();
                out.writeInt(detector.length);
                out.write(detector);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static EntityDetectors fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int maxOpenedPerHour = in.readInt();
            ArrayDeque<Long> openedAt = new ArrayDeque<>();
            for (int i = in.readInt(); i > 0; i--) {
                openedAt.addLast(in.readLong());
            }
            int metrics = in.readInt();
            StreamingAnomalyDetector[] detectors = new StreamingAnomalyDetector[metrics];
            long[] openSince = new long[metrics];
            boolean[] escalated = new boolean[metrics];
            for (int i = 0; i < metrics; i++) {
                openSince[i] = in.readLong();
                escalated[i] = in.readBoolean();
                byte[] detector = new byte[in.readInt()];
                in.readFully(detector);
                detectors[i] = StreamingAnomalyDetector.fromBytes(detector);
            }
            return new EntityDetectors(detectors, openSince, escalated, maxOpenedPerHour, openedAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reports not sent since the last call because of the hourly limit; resets the count. */
    public long takeSuppressed() {
        long count = suppressed;
        suppressed = 0;
        return count;
    }

    /** How many metrics this entity's detectors watch. */
    public int metrics() {
        return detectors.length;
    }

    private static String rule(String metric, Duration windowSize, DetectorSettings settings) {
        String forest = "Random Cut Forest score likelihood >= " + format(settings.likelihoodThreshold());
        String novelty = "a level never seen after the previous one";
        String condition = switch (settings.signals()) {
            case FOREST -> forest;
            case NOVELTY -> novelty;
            case FOREST_AND_NOVELTY -> forest + ", or " + novelty;
        };
        return "mean of " + metric + " per " + windowSize + " window: " + condition;
    }

    private static String threshold(DetectorSettings settings) {
        return switch (settings.signals()) {
            case FOREST -> "likelihood " + format(settings.likelihoodThreshold());
            case NOVELTY -> "novelty " + format(settings.noveltyThreshold());
            case FOREST_AND_NOVELTY -> "likelihood " + format(settings.likelihoodThreshold()) + ", novelty " + format(settings.noveltyThreshold());
        };
    }

    private static String describe(Detection detection) {
        return switch (detection.reason()) {
            case "novelty" -> "a level it never went to from the previous one";
            case "likelihood" -> String.format(Locale.ROOT, "forest score %s, likelihood %s", format(detection.forestScore()), format(detection.likelihood()));
            case "likelihood+novelty" -> String.format(Locale.ROOT, "a level never seen after the previous one, forest likelihood %s", format(detection.likelihood()));
            default -> String.format(Locale.ROOT, "forest likelihood %s, novelty %s", format(detection.likelihood()), format(detection.novelty()));
        };
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
