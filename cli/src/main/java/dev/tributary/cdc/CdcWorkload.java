package dev.tributary.cdc;

import static java.util.Objects.requireNonNull;

import dev.tributary.capture.DatabaseKind;
import dev.tributary.local.LocalDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random, repeatable workload on one table, {@code items}: inserts, updates and deletes in
 * transactions of one to {@code maxTransactionSize} statements, over a spread of column types
 * (integers, decimal, text, timestamp with microseconds, boolean, nulls). At a chosen operation
 * it adds a column, {@code color}, which later statements fill in.
 */
public final class CdcWorkload {
    public static final String TABLE = "items";

    private final LocalDatabase database;
    private final Random random;
    private final int maxTransactionSize;
    private final List<Long> live = new ArrayList<>();
    private long nextId = 1;
    private boolean colorAdded;
    private long operations;
    private long transactions;

    public CdcWorkload(LocalDatabase database, long seed, int maxTransactionSize) {
        this.database = requireNonNull(database, "database is null");
        this.random = new Random(seed);
        this.maxTransactionSize = maxTransactionSize;
    }

    public void createTable() throws SQLException {
        boolean postgres = database.kind() == DatabaseKind.POSTGRES;
        String timestamp = postgres ? "TIMESTAMP(6)" : "DATETIME(6)";
        String bool = postgres ? "BOOLEAN" : "TINYINT(1)";
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
            statement.execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, quantity INT,"
                    + " price DECIMAL(10,2), active " + bool + ", updated_at " + timestamp + ", note TEXT)");
        }
    }

    /** Runs operations until {@code target} have been done in all (counting earlier calls). */
    public void runUntil(long target) throws SQLException {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            while (operations < target) {
                int size = 1 + random.nextInt(maxTransactionSize);
                for (int i = 0; i < size && operations < target; i++) {
                    operation(connection);
                    operations++;
                }
                connection.commit();
                transactions++;
            }
        }
    }

    public void addColumn() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + TABLE + " ADD COLUMN color VARCHAR(16)");
        }
        colorAdded = true;
    }

    public long operations() {
        return operations;
    }

    public long transactions() {
        return transactions;
    }

    public int liveRows() {
        return live.size();
    }

    private void operation(Connection connection) throws SQLException {
        int dice = random.nextInt(100);
        if (live.isEmpty() || dice < 45) {
            insert(connection);
        } else if (dice < 85) {
            update(connection, live.get(random.nextInt(live.size())));
        } else {
            int index = random.nextInt(live.size());
            long id = live.get(index);
            live.set(index, live.get(live.size() - 1));
            live.remove(live.size() - 1);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
                delete.setLong(1, id);
                delete.executeUpdate();
            }
        }
    }

    private void insert(Connection connection) throws SQLException {
        long id = nextId++;
        String sql = "INSERT INTO " + TABLE + " (id, name, quantity, price, active, updated_at, note" + (colorAdded ? ", color" : "")
                + ") VALUES (?, ?, ?, ?, ?, ?, ?" + (colorAdded ? ", ?" : "") + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, id);
            insert.setString(2, "item-" + id);
            setValues(insert, 3);
            insert.executeUpdate();
        }
        live.add(id);
    }

    private void update(Connection connection, long id) throws SQLException {
        String sql = "UPDATE " + TABLE + " SET quantity = ?, price = ?, active = ?, updated_at = ?, note = ?"
                + (colorAdded ? ", color = ?" : "") + " WHERE id = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            int next = setValues(update, 1);
            update.setLong(next, id);
            update.executeUpdate();
        }
    }

    /** Sets quantity, price, active, updated_at, note (and color) from {@code index}; returns the next index. */
    private int setValues(PreparedStatement statement, int index) throws SQLException {
        statement.setObject(index++, random.nextInt(10) == 0 ? null : random.nextInt(1_000_000));
        statement.setBigDecimal(index++, random.nextInt(10) == 0 ? null : BigDecimal.valueOf(random.nextInt(10_000_000), 2));
        statement.setObject(index++, random.nextInt(10) == 0 ? null : random.nextBoolean());
        LocalDateTime time = LocalDateTime.of(2026, 1, 1, 0, 0).plus(random.nextInt(1_000_000_000), ChronoUnit.MILLIS)
                .plus(random.nextInt(1000), ChronoUnit.MICROS);
        statement.setTimestamp(index++, random.nextInt(10) == 0 ? null : Timestamp.valueOf(time));
        statement.setString(index++, random.nextInt(4) == 0 ? null : "note " + Long.toString(random.nextLong(), 36) + " ünïcødé");
        if (colorAdded) {
            statement.setString(index++, random.nextInt(5) == 0 ? null : List.of("red", "green", "blue", "black").get(random.nextInt(4)));
        }
        return index;
    }
}
