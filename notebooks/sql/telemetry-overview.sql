-- Analyses a fleet team runs over fleet.telemetry (Flink SQL today; Trino and Athena read the
-- same Iceberg tables). Each statement must return rows on the demo's data: a test runs them.

-- Enrichment coverage: how many readings found their device and vehicle.
SELECT enrichment_status, count(*) AS readings
FROM telemetry
GROUP BY enrichment_status;

-- Fleet health per vehicle model: battery and coolant.
SELECT vehicle.make, vehicle.`model`, count(*) AS readings,
       min(battery.voltage_v) AS min_battery_v, max(engine.coolant_temp_c) AS max_coolant_c
FROM telemetry
WHERE enrichment_status = 'enriched'
GROUP BY vehicle.make, vehicle.`model`;

-- Vehicles parked with their headlights on (the situation the headlights alert watches).
SELECT vehicle_id, count(*) AS readings_with_lights_on_while_parked
FROM telemetry
WHERE engine.`on` = false AND lights.headlights.`on` = true
GROUP BY vehicle_id;

-- Readings per hour of event time.
SELECT date_format(event_time, 'yyyy-MM-dd HH:00') AS event_hour, count(*) AS readings
FROM telemetry
GROUP BY date_format(event_time, 'yyyy-MM-dd HH:00');
