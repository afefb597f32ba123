package dev.tributary.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.cdc.ChangeEvent;
import dev.tributary.cdc.DebeziumJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo fleet's operational tables ({@code vehicles}, {@code devices}, {@code reservations}):
 * written into a real PostgreSQL database for capture (the demo), or published directly as
 * Debezium change events (snapshot reads, {@code op=r}) on {@code <prefix>.cdc.public.<table>},
 * as Debezium's PostgreSQL connector names and shapes them (tests without a database).
 * Customers' personal data is not kept: reservations carry a customer id.
 */
public final class Fleet {
    public static final String DATABASE = "public";
    private static final String[][] MODELS = {
        {"Hyundai", "Ioniq 5", "electric"}, {"Kia", "Niro", "hybrid"}, {"Hyundai", "Avante", "gasoline"},
        {"Kia", "EV6", "electric"}, {"Genesis", "GV60", "electric"}, {"Kia", "Ray", "gasoline"}};
    private static final String[] ZONES = {"gangnam", "mapo", "jongno", "songpa", "yeouido", "pangyo"};

    private final int vehicles;
    private final long seed;

    public Fleet(int vehicles, long seed) {
        this.vehicles = vehicles;
        this.seed = seed;
    }

    public static String vehicleId(int index) {
        return String.format("veh-%05d", index);
    }

    public static String deviceId(int index) {
        return String.format("dev-%05d", index);
    }

    public int size() {
        return vehicles;
    }

    public static List<String> tables() {
        return List.of("vehicles", "devices", "reservations");
    }

    public static String topic(String prefix, String table) {
        return DebeziumJson.topic(prefix, DATABASE, table);
    }

    /** One table's rows, each as column name to value, in insertion order. */
    public record TableRows(String table, List<Map<String, Object>> rows) {}

    /** The rows of the operational tables; reservations run from {@code reservationsFrom} to {@code reservationsUntil}. */
    public List<TableRows> rows(Instant reservationsFrom, Instant reservationsUntil) {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        List<Map<String, Object>> vehicleRows = new ArrayList<>();
        List<Map<String, Object>> deviceRows = new ArrayList<>();
        List<Map<String, Object>> reservationRows = new ArrayList<>();
        for (int i = 0; i < vehicles; i++) {
            String[] model = MODELS[random.nextInt(MODELS.length)];
            Map<String, Object> vehicle = new LinkedHashMap<>();
            vehicle.put("id", vehicleId(i));
            vehicle.put("vin", String.format("KMH%014d", 10_000_000L + i));
            vehicle.put("make", model[0]);
            vehicle.put("model", model[1]);
            vehicle.put("model_year", 2020 + random.nextInt(6));
            vehicle.put("fuel_type", model[2]);
            vehicle.put("home_zone", ZONES[random.nextInt(ZONES.length)]);
            vehicleRows.add(vehicle);

            Map<String, Object> device = new LinkedHashMap<>();
            device.put("id", deviceId(i));
            device.put("vehicle_id", vehicleId(i));
            device.put("hardware_model", "TCU-" + (3 + random.nextInt(2)));
            device.put("installed_at", reservationsFrom.minus(400, ChronoUnit.DAYS));
            deviceRows.add(device);

            if (i % 2 == 0) {
                Map<String, Object> reservation = new LinkedHashMap<>();
                reservation.put("id", String.format("res-%05d", i));
                reservation.put("vehicle_id", vehicleId(i));
                reservation.put("customer_id", String.format("cus-%06d", random.nextInt(1_000_000)));
                reservation.put("status", "active");
                reservation.put("starts_at", reservationsFrom);
                reservation.put("ends_at", reservationsUntil);
                reservationRows.add(reservation);
            }
        }
        return List.of(new TableRows("vehicles", vehicleRows), new TableRows("devices", deviceRows), new TableRows("reservations", reservationRows));
    }

    /** Publishes one snapshot read per row, without a database; returns how many change events were sent. */
    public int publishSnapshot(Producer<byte[], byte[]> producer, String prefix, Instant reservationsFrom, Instant reservationsUntil) throws Exception {
        long now = System.currentTimeMillis();
        List<Future<?>> sends = new ArrayList<>();
        for (TableRows table : rows(reservationsFrom, reservationsUntil)) {
            for (Map<String, Object> row : table.rows()) {
                ObjectNode json = DebeziumJson.newRow();
                row.forEach((column, value) -> {
                    if (value instanceof Integer number) {
                        json.put(column, number);
                    } else {
                        json.put(column, value.toString());
                    }
                });
                sends.add(send(producer, prefix, table.table(), (String) row.get("id"), json, now));
            }
        }
        for (Future<?> send : sends) {
            send.get();
        }
        return sends.size();
    }

    /**
     * Writes the operational tables into a real PostgreSQL database (creating them if needed,
     * updating rows that exist), for capture to pick up; returns how many rows were written.
     */
    public int writeTo(Connection connection, Instant reservationsFrom, Instant reservationsUntil) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS vehicles (id TEXT PRIMARY KEY, vin TEXT NOT NULL, make TEXT, model TEXT,"
                    + " model_year INT, fuel_type TEXT, home_zone TEXT)");
            statement.execute("CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, vehicle_id TEXT NOT NULL, hardware_model TEXT,"
                    + " installed_at TIMESTAMPTZ)");
            statement.execute("CREATE TABLE IF NOT EXISTS reservations (id TEXT PRIMARY KEY, vehicle_id TEXT NOT NULL,"
                    + " customer_id TEXT NOT NULL, status TEXT NOT NULL, starts_at TIMESTAMPTZ, ends_at TIMESTAMPTZ)");
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        int written = 0;
        for (TableRows table : rows(reservationsFrom, reservationsUntil)) {
            List<String> columns = new ArrayList<>(table.rows().get(0).keySet());
            String updates = columns.stream().filter(column -> !column.equals("id")).map(column -> column + " = EXCLUDED." + column)
                    .collect(java.util.stream.Collectors.joining(", "));
            String sql = "INSERT INTO " + table.table() + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ") ON CONFLICT (id) DO UPDATE SET " + updates;
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (Map<String, Object> row : table.rows()) {
                    for (int c = 0; c < columns.size(); c++) {
                        Object value = row.get(columns.get(c));
                        insert.setObject(c + 1, value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value);
                    }
                    insert.addBatch();
                    written++;
                }
                insert.executeBatch();
            }
        }
        connection.commit();
        connection.setAutoCommit(autoCommit);
        return written;
    }

    private static Future<?> send(Producer<byte[], byte[]> producer, String prefix, String table, String id, ObjectNode row, long now) {
        ChangeEvent event = new ChangeEvent(ChangeEvent.Operation.READ, null, row, DATABASE, table, now);
        return producer.send(new ProducerRecord<>(topic(prefix, table), DebeziumJson.key(Map.of("id", id)),
                DebeziumJson.write(event, prefix + ".cdc")));
    }
}
