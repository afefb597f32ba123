package dev.tributary.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schemas.alerts.Alert;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class AlertCloudEventsTest {
    private static final String TOPIC = "fleet.alerts";

    private final AlertCloudEvents cloudEvents = new AlertCloudEvents("fleet");

    @Test
    void binaryModeRecordCarriesTheCloudEventAttributesInHeaders() {
        Alert alert = alert("opened");

        ProducerRecord<byte[], byte[]> record = cloudEvents.toKafkaRecord(TOPIC, alert);

        assertThat(record.topic()).isEqualTo(TOPIC);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(alert.getEntityId());
        assertThat(record.timestamp()).isEqualTo(alert.getObservedAt().toEpochMilli());
        assertThat(header(record, "ce_id")).isEqualTo(alert.getAlertId() + ".opened");
        assertThat(header(record, "ce_source")).isEqualTo("/tributary/fleet/rules/" + alert.getAlertType());
        assertThat(header(record, "ce_type")).isEqualTo(AlertCloudEvents.TYPE_PREFIX + "opened");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(header(record, "ce_subject")).isEqualTo(alert.getEntityId());
        assertThat(header(record, "ce_severity")).isEqualTo(alert.getSeverity());
    }

    @Test
    void kafkaRecordReadsBackToTheSameAlert() throws Exception {
        Alert alert = alert("resolved");
        ProducerRecord<byte[], byte[]> produced = cloudEvents.toKafkaRecord(TOPIC, alert);
        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>(TOPIC, 3, 42L, produced.timestamp(), TimestampType.CREATE_TIME,
                produced.key().length, produced.value().length, produced.key(), produced.value(), produced.headers(), Optional.empty());

        CloudEvent event = AlertCloudEvents.fromKafkaRecord(consumed);

        assertThat(event.getId()).isEqualTo(alert.getAlertId() + ".resolved");
        assertThat(event.getType()).isEqualTo("dev.tributary.alert.resolved");
        assertThat(event.getSource()).isEqualTo(URI.create("/tributary/fleet/rules/headlights_left_on"));
        assertThat(event.getDataSchema()).isEqualTo(AlertCloudEvents.DATA_SCHEMA);
        assertThat(event.getTime().toInstant()).isEqualTo(alert.getObservedAt());
        assertThat(event.getExtension("entityid")).isEqualTo(alert.getEntityId());
        assertThat(cloudEvents.alertOf(event)).isEqualTo(alert);
    }

    @Test
    void sameAlertGivesTheSameIdempotencyKey() {
        CloudEvent first = cloudEvents.toCloudEvent(alert("opened"));
        CloudEvent second = new AlertCloudEvents("fleet").toCloudEvent(alert("opened"));

        assertThat(second.getId()).isEqualTo(first.getId());
        assertThat(second.getSource()).isEqualTo(first.getSource());
    }

    @Test
    void openedAndResolvedOfOneAlertDifferInId() {
        CloudEvent opened = cloudEvents.toCloudEvent(alert("opened"));
        CloudEvent resolved = cloudEvents.toCloudEvent(alert("resolved"));

        assertThat(resolved.getId()).isNotEqualTo(opened.getId());
        assertThat(resolved.getSource()).isEqualTo(opened.getSource());
        assertThat(resolved.getSubject()).isEqualTo(opened.getSubject());
    }

    @Test
    void otherPipelineHasAnotherSource() {
        CloudEvent here = cloudEvents.toCloudEvent(alert("opened"));
        CloudEvent there = new AlertCloudEvents("staging").toCloudEvent(alert("opened"));

        assertThat(there.getSource()).isNotEqualTo(here.getSource());
    }

    private static Alert alert(String status) {
        return Alert.newBuilder()
                .setAlertId("0b9e3c8e-5d55-3a1f-9f0e-4a3c3a4f1d2b")
                .setAlertType("headlights_left_on")
                .setStatus(status)
                .setSeverity("warning")
                .setEntityType("vehicle")
                .setEntityId("veh-7")
                .setDeviceId("dev-0042")
                .setVehicleId("veh-7")
                .setConditionSince(Instant.parse("2025-03-14T09:00:00Z"))
                .setObservedAt(Instant.parse(status.equals("opened") ? "2025-03-14T09:05:00Z" : "2025-03-14T09:07:31.250Z"))
                .setRule("engine.on = false AND every door closed AND lights.headlights.on = true for at least PT5M")
                .setThreshold("PT5M")
                .setObservedValues(Map.of("held_for", "PT5M", "engine.on", "false"))
                .setExplanation("Headlights on for PT5M with the engine off and every door closed (vehicle veh-7).")
                .setTriggerEventId(null)
                .build();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
