package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.schemas.alerts.Alert;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Alerts as structured-mode CloudEvents JSON, for outputs without headers (a Kinesis stream). */
public final class AlertCloudEventsJson implements SerializationSchema<Alert> {
    private static final long serialVersionUID = 1L;
    private final String pipeline;
    private transient AlertCloudEvents events;

    public AlertCloudEventsJson(String pipeline) {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
    }

    @Override
    public byte[] serialize(Alert alert) {
        if (events == null) {
            events = new AlertCloudEvents(pipeline);
        }
        return events.toStructuredJson(alert);
    }
}
