-- Athena (engine version 3) over the lake's AWS Glue tables: what an analyst runs once.
-- The jobs create the Iceberg tables themselves (format v2, ORC) in the Glue database named by
-- lake.namespace / mirror.namespace ("fleet"): telemetry, alerts (every alert event, from
-- lake.alerts-table), schema_changes, and the mirrored vehicles, devices and reservations.
-- Nothing here creates or alters those tables.
-- Athena runs one statement per query: run the files in order, one statement at a time.

CREATE DATABASE IF NOT EXISTS fleet
COMMENT 'Tributary lake: fleet telemetry, schema changes and the mirrored operational tables';
