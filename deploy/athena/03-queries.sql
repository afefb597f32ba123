-- Ad-hoc queries for Athena engine version 3 over the lake (not views).

-- When each mirrored table last received a commit from the lake-mirror job (Iceberg metadata
-- table $snapshots). The mirror commits on checkpoints: a table quiet for much longer than
-- checkpoint.interval while its source changes means the mirror is behind.
SELECT 'vehicles' AS mirrored_table, max(committed_at) AS last_commit_at FROM fleet."vehicles$snapshots"
UNION ALL
SELECT 'devices', max(committed_at) FROM fleet."devices$snapshots"
UNION ALL
SELECT 'reservations', max(committed_at) FROM fleet."reservations$snapshots"
UNION ALL
SELECT 'telemetry', max(committed_at) FROM fleet."telemetry$snapshots";

-- Alerts opened per hour this week against the same hour last week.
SELECT this_week.alert_hour,
       this_week.alert_type,
       this_week.opened,
       coalesce(last_week.opened, 0) AS opened_a_week_before
FROM fleet.alerts_hourly this_week
LEFT JOIN fleet.alerts_hourly last_week
  ON last_week.alert_type = this_week.alert_type
 AND last_week.severity = this_week.severity
 AND last_week.alert_hour = this_week.alert_hour - INTERVAL '7' DAY
WHERE this_week.alert_hour > current_timestamp - INTERVAL '7' DAY
ORDER BY this_week.alert_hour, this_week.alert_type;

-- What an alert saw: its observed values (a map of strings) and explanation, last day.
SELECT observed_at, alert_type, status, severity, entity_id, element_at(observed_values, 'metric') AS metric, explanation
FROM fleet.alerts
WHERE observed_at > current_timestamp - INTERVAL '1' DAY
ORDER BY observed_at DESC
LIMIT 100;

-- Readings in alert conditions over the last day, per hour, whole fleet.
SELECT event_hour,
       sum(battery_low_readings) AS battery_low,
       sum(coolant_overheat_readings) AS coolant_overheat,
       sum(headlights_left_on_readings) AS headlights_left_on
FROM fleet.alert_conditions_hourly
WHERE event_hour > current_timestamp - INTERVAL '1' DAY
GROUP BY event_hour
ORDER BY event_hour;

-- Drifted values kept in overflow (JSON object from path to value), last day.
SELECT event_time, device_id, overflow
FROM fleet.telemetry
WHERE overflow IS NOT NULL
  AND event_time > current_timestamp - INTERVAL '1' DAY
ORDER BY event_time DESC
LIMIT 100;

-- Diagnostic codes per vehicle model (diagnostics is a list of structs when lake.arrays=list).
SELECT vehicle.make, vehicle.model, d.code, d.severity, count(*) AS occurrences
FROM fleet.telemetry
CROSS JOIN UNNEST(diagnostics) AS d (code, severity, message)
GROUP BY vehicle.make, vehicle.model, d.code, d.severity
ORDER BY occurrences DESC;
