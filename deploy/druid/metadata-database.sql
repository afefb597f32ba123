-- Druid's metadata store in the compose stack's PostgreSQL (docker-compose.yml mounts this file
-- into /docker-entrypoint-initdb.d: it runs once, when the postgres volume is first created).
CREATE DATABASE druid OWNER tributary;
