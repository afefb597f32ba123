package dev.tributary.local;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** What a demo run produced and what landed, as the summary JSON holds it. */
public record DemoSummary(
        @JsonProperty("events_produced") long eventsProduced,
        @JsonProperty("events_valid") long eventsValid,
        @JsonProperty("dlq_records") long dlqRecords,
        @JsonProperty("telemetry_rows_in_lake") long telemetryRowsInLake,
        @JsonProperty("distinct_event_ids_in_lake") long distinctEventIdsInLake,
        @JsonProperty("enriched_records") long enrichedRecords,
        @JsonProperty("alerts_opened_by_type") Map<String, Long> alertsOpenedByType,
        @JsonProperty("alerts_resolved") long alertsResolved,
        @JsonProperty("injected_scenarios_by_type") Map<String, Long> injectedScenariosByType,
        @JsonProperty("invalid_records_by_kind") Map<String, Long> invalidRecordsByKind,
        @JsonProperty("unknown_device_readings") long unknownDeviceReadings,
        @JsonProperty("out_of_order_readings") long outOfOrderReadings,
        @JsonProperty("late_readings") long lateReadings,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("events_per_second") double eventsPerSecond,
        @JsonProperty("lake_dir") String lakeDir,
        @JsonProperty("flink_web_ui") String flinkWebUi,
        @JsonProperty("schema_changes") List<String> schemaChanges,
        @JsonProperty("cdc") Map<String, Object> cdc) {

    /** The same summary with what capture and the lake mirror did. */
    public DemoSummary withCdc(Map<String, Object> cdc) {
        return new DemoSummary(eventsProduced, eventsValid, dlqRecords, telemetryRowsInLake, distinctEventIdsInLake, enrichedRecords,
                alertsOpenedByType, alertsResolved, injectedScenariosByType, invalidRecordsByKind, unknownDeviceReadings, outOfOrderReadings,
                lateReadings, seconds, eventsPerSecond, lakeDir, flinkWebUi, schemaChanges, cdc);
    }
}
