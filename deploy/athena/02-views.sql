-- Views over the Glue tables of the lake, for Athena engine version 3 (Trino SQL).
-- Run each CREATE VIEW as its own query. Columns are those the jobs write:
--   fleet.telemetry       schemas/src/main/avro/enriched-telemetry.avsc as nested structs
--                         (engine.coolant_temp_c, battery.voltage_v, location.latitude, ...),
--                         partitioned by day(event_time), plus overflow (JSON of drifted values)
--   fleet.alerts          schemas/src/main/avro/alert.avsc: one row per alert event (opened,
--                         escalated, resolved), partitioned by day(observed_at)
--   fleet.schema_changes  jobs/src/main/java/dev/tributary/schema/SchemaChangeTable.java
--   fleet.vehicles / devices / reservations: the captured PostgreSQL tables, column for column
-- "on" is a reserved word: engine."on", lights.headlights."on".

-- Alerts per hour of event time, type and severity: occurrences opened, escalated and resolved.
CREATE OR REPLACE VIEW fleet.alerts_hourly AS
SELECT date_trunc('hour', observed_at) AS alert_hour,
       alert_type,
       severity,
       count_if(status = 'opened') AS opened,
       count_if(status = 'escalated') AS escalated,
       count_if(status = 'resolved') AS resolved,
       count(DISTINCT entity_id) AS entities
FROM fleet.alerts
GROUP BY date_trunc('hour', observed_at), alert_type, severity;

-- Each alert occurrence (its events share alert_id): when it opened, escalated and resolved, and
-- how long its condition lasted; open occurrences have no resolved_at.
CREATE OR REPLACE VIEW fleet.alert_occurrences AS
SELECT alert_id,
       alert_type,
       entity_type,
       entity_id,
       arbitrary(vehicle_id) AS vehicle_id,
       CASE WHEN count_if(severity = 'alarm') > 0 THEN 'alarm' ELSE 'warning' END AS highest_severity,
       min(condition_since) AS condition_since,
       min(CASE WHEN status = 'opened' THEN observed_at END) AS opened_at,
       max(CASE WHEN status = 'escalated' THEN observed_at END) AS escalated_at,
       max(CASE WHEN status = 'resolved' THEN observed_at END) AS resolved_at,
       date_diff('second', min(condition_since), max(CASE WHEN status = 'resolved' THEN observed_at END)) AS condition_seconds
FROM fleet.alerts
GROUP BY alert_id, alert_type, entity_type, entity_id;

-- Readings per hour and vehicle that meet an alert rule's condition (deploy/rules/fleet-rules.yaml:
-- battery_low, coolant_overheat, headlights_left_on), to compare with fleet.alerts_hourly: a rule
-- opens an alert only when its condition holds for its duration.
CREATE OR REPLACE VIEW fleet.alert_conditions_hourly AS
SELECT date_trunc('hour', event_time) AS event_hour,
       vehicle_id,
       vehicle.make AS make,
       vehicle.model AS model,
       count(*) AS readings,
       count_if(engine."on" = false AND battery.voltage_v < 11.8) AS battery_low_readings,
       count_if(engine."on" = false AND battery.voltage_v < 11.3) AS battery_low_escalated_readings,
       count_if(engine.coolant_temp_c > 105) AS coolant_overheat_readings,
       count_if(engine.coolant_temp_c > 115) AS coolant_overheat_escalated_readings,
       count_if(engine."on" = false AND lights.headlights."on" = true
                AND NOT (doors.front_left.open OR doors.front_right.open OR doors.rear_left.open
                         OR doors.rear_right.open OR doors.trunk.open)) AS headlights_left_on_readings
FROM fleet.telemetry
WHERE vehicle_id IS NOT NULL
GROUP BY date_trunc('hour', event_time), vehicle_id, vehicle.make, vehicle.model;

-- Fleet health per vehicle over the last 24 hours of event time.
CREATE OR REPLACE VIEW fleet.vehicle_health AS
SELECT vehicle_id,
       vehicle.make AS make,
       vehicle.model AS model,
       vehicle.home_zone AS home_zone,
       count(*) AS readings,
       max(event_time) AS last_reading_at,
       max_by(location.latitude, event_time) AS last_latitude,
       max_by(location.longitude, event_time) AS last_longitude,
       min(battery.voltage_v) AS min_battery_voltage_v,
       avg(battery.voltage_v) AS avg_battery_voltage_v,
       max(engine.coolant_temp_c) AS max_coolant_temp_c,
       max(location.speed_kph) AS max_speed_kph,
       sum(cardinality(diagnostics)) AS diagnostic_codes,
       count_if(overflow IS NOT NULL) AS readings_with_overflow
FROM fleet.telemetry
WHERE enrichment_status = 'enriched'
  AND event_time > current_timestamp - INTERVAL '1' DAY
GROUP BY vehicle_id, vehicle.make, vehicle.model, vehicle.home_zone;

-- How fresh the enrichment state (fed by CDC) is, per hour: readings that found their device
-- and vehicle, readings that waited for them, and readings whose rows had not arrived.
-- Many device_unknown / vehicle_unknown readings mean the CDC topics lag behind the devices.
CREATE OR REPLACE VIEW fleet.cdc_freshness_hourly AS
SELECT date_trunc('hour', event_time) AS event_hour,
       count(*) AS readings,
       count_if(enrichment_status = 'enriched') AS enriched,
       count_if(enrichment_status = 'device_unknown') AS device_unknown,
       count_if(enrichment_status = 'device_unassigned') AS device_unassigned,
       count_if(enrichment_status = 'vehicle_unknown') AS vehicle_unknown,
       count_if(enrichment_wait_ms > 0) AS readings_that_waited,
       max(enrichment_wait_ms) AS max_enrichment_wait_ms,
       approx_percentile(date_diff('millisecond', event_time, ingested_at), 0.95) AS p95_ingest_delay_ms
FROM fleet.telemetry
GROUP BY date_trunc('hour', event_time);

-- Devices that sent readings but that the mirrored devices table does not hold (yet): the
-- lake mirror lags behind capture, or the device was never registered.
CREATE OR REPLACE VIEW fleet.devices_missing_from_mirror AS
SELECT t.device_id,
       count(*) AS readings,
       min(t.event_time) AS first_reading_at,
       max(t.event_time) AS last_reading_at
FROM fleet.telemetry t
LEFT JOIN fleet.devices d ON d.id = t.device_id
WHERE d.id IS NULL
GROUP BY t.device_id;

-- Reservations active now, with their vehicle (the customer is an id: personal data stays in
-- the operational database).
CREATE OR REPLACE VIEW fleet.active_reservations AS
SELECT r.id AS reservation_id,
       r.vehicle_id,
       v.make,
       v.model,
       v.home_zone,
       r.customer_id,
       r.starts_at,
       r.ends_at
FROM fleet.reservations r
JOIN fleet.vehicles v ON v.id = r.vehicle_id
WHERE r.status = 'active'
  AND current_timestamp BETWEEN r.starts_at AND r.ends_at;

-- Schema changes the jobs reported (one row per distinct change), newest first.
CREATE OR REPLACE VIEW fleet.schema_changes_recent AS
SELECT reported_at,
       first_seen,
       stage,
       subject,
       kind,
       path,
       expected,
       found,
       action,
       event_count,
       example_topic,
       example_partition,
       example_offset,
       description
FROM fleet.schema_changes
WHERE reported_at > current_timestamp - INTERVAL '30' DAY;
