package dev.tributary.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.cdc.ChangeEvent;
import dev.tributary.cdc.DebeziumJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo fleet's operational tables ({@code vehicles}, {@code devices}, {@code reservations}),
 * published as Debezium change events (snapshot reads, {@code op=r}) on
 * {@code <prefix>.cdc.public.<table>}, exactly as Debezium's PostgreSQL connector names and
 * shapes them. Customers' personal data is not published: reservations carry a customer id.
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

    /** Publishes one snapshot read per row; returns how many change events were sent. */
    public int publishSnapshot(Producer<byte[], byte[]> producer, String prefix, Instant reservationsFrom, Instant reservationsUntil) throws Exception {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        long now = System.currentTimeMillis();
        List<Future<?>> sends = new ArrayList<>();
        for (int i = 0; i < vehicles; i++) {
            String[] model = MODELS[random.nextInt(MODELS.length)];
            ObjectNode vehicle = DebeziumJson.newRow()
                    .put("id", vehicleId(i))
                    .put("vin", String.format("KMH%014d", 10_000_000L + i))
                    .put("make", model[0])
                    .put("model", model[1])
                    .put("model_year", 2020 + random.nextInt(6))
                    .put("fuel_type", model[2])
                    .put("home_zone", ZONES[random.nextInt(ZONES.length)]);
            sends.add(send(producer, prefix, "vehicles", vehicleId(i), vehicle, now));

            ObjectNode device = DebeziumJson.newRow()
                    .put("id", deviceId(i))
                    .put("vehicle_id", vehicleId(i))
                    .put("hardware_model", "TCU-" + (3 + random.nextInt(2)))
                    .put("installed_at", reservationsFrom.minus(400, ChronoUnit.DAYS).toString());
            sends.add(send(producer, prefix, "devices", deviceId(i), device, now));

            if (i % 2 == 0) {
                ObjectNode reservation = DebeziumJson.newRow()
                        .put("id", String.format("res-%05d", i))
                        .put("vehicle_id", vehicleId(i))
                        .put("customer_id", String.format("cus-%06d", random.nextInt(1_000_000)))
                        .put("status", "active")
                        .put("starts_at", reservationsFrom.toString())
                        .put("ends_at", reservationsUntil.toString());
                sends.add(send(producer, prefix, "reservations", vehicleId(i), reservation, now));
            }
        }
        for (Future<?> send : sends) {
            send.get();
        }
        return sends.size();
    }

    private static Future<?> send(Producer<byte[], byte[]> producer, String prefix, String table, String id, ObjectNode row, long now) {
        ChangeEvent event = new ChangeEvent(ChangeEvent.Operation.READ, null, row, DATABASE, table, now);
        return producer.send(new ProducerRecord<>(topic(prefix, table), DebeziumJson.key(Map.of("id", id)),
                DebeziumJson.write(event, prefix + ".cdc")));
    }
}
