package dev.tributary.capture;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, before Debezium starts, that the database is set up for change data capture: the
 * log is on and in the right format, and the user holds the grants capture needs. Debezium
 * would fail on most of these too, later and in its own words; these errors name the fix.
 */
public final class CapturePreflight {
    private final CaptureConfig config;

    public CapturePreflight(CaptureConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /** Throws {@link CaptureSetupException} listing every problem found; returns quietly when ready. */
    public void check() {
        Properties credentials = new Properties();
        credentials.setProperty("user", config.user());
        if (config.password() != null) {
            credentials.setProperty("password", config.password());
        }
        List<String> problems = new ArrayList<>();
        // Binlog databases are checked from the server, not the database: a user may lack the right to open it.
        String url = config.kind() == DatabaseKind.POSTGRES ? config.jdbcUrl() : config.kind().jdbcUrl(config.hostname(), config.port(), "");
        try (Connection connection = DriverManager.getConnection(url, credentials)) {
            if (config.kind() == DatabaseKind.POSTGRES) {
                checkPostgres(connection, problems);
            } else {
                checkBinlog(connection, problems);
            }
        } catch (SQLException e) {
            problems.add("cannot connect to " + url + " as '" + config.user() + "': " + e.getMessage()
                    + " (check capture.database.hostname, port, user, and the password in capture.database.password or $"
                    + CaptureConfig.DEFAULT_PASSWORD_VARIABLE + ")");
        }
        if (!problems.isEmpty()) {
            throw new CaptureSetupException(config.kind().configName(), problems);
        }
    }

    private void checkPostgres(Connection connection, List<String> problems) throws SQLException {
        String walLevel = single(connection, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            problems.add("wal_level is '" + walLevel + "', logical decoding needs 'logical': set wal_level = logical in postgresql.conf"
                    + " (on Amazon RDS or Aurora: rds.logical_replication = 1 in the parameter group) and restart the server");
        }
        int slots = Integer.parseInt(single(connection, "SHOW max_replication_slots"));
        if (slots < 1) {
            problems.add("max_replication_slots is 0: set it to at least 1 in postgresql.conf and restart the server");
        }
        String replication = single(connection,
                "SELECT (rolreplication OR rolsuper)::text FROM pg_roles WHERE rolname = current_user");
        if (!"true".equals(replication)) {
            problems.add("user '" + config.user() + "' may not replicate: ALTER ROLE " + config.user() + " WITH REPLICATION"
                    + " (on Amazon RDS or Aurora: GRANT rds_replication TO " + config.user() + ")");
        }
        for (String table : config.tables()) {
            String exists = single(connection, "SELECT (to_regclass('" + table.replace("'", "''") + "') IS NOT NULL)::text");
            if (!"true".equals(exists)) {
                problems.add("table '" + table + "' (capture.tables) does not exist in database '" + config.database() + "'");
            } else if (!"true".equals(single(connection, "SELECT has_table_privilege(current_user, '" + table.replace("'", "''") + "', 'SELECT')::text"))) {
                problems.add("user '" + config.user() + "' cannot read '" + table + "' for the snapshot: GRANT SELECT ON " + table + " TO " + config.user());
            }
        }
    }

    private void checkBinlog(Connection connection, List<String> problems) throws SQLException {
        if (!"1".equals(single(connection, "SELECT @@log_bin"))) {
            problems.add("the binary log is off: start the server with log_bin (log-bin = mysql-bin in my.cnf;"
                    + " on Amazon Aurora MySQL set binlog_format in the cluster parameter group)");
        }
        String format = single(connection, "SELECT @@binlog_format");
        if (!"ROW".equalsIgnoreCase(format)) {
            problems.add("binlog_format is '" + format + "', capture needs ROW: SET GLOBAL binlog_format = 'ROW' and binlog_format = ROW in my.cnf");
        }
        String image = single(connection, "SELECT @@binlog_row_image");
        if (image != null && !"FULL".equalsIgnoreCase(image)) {
            problems.add("binlog_row_image is '" + image + "', capture needs FULL: SET GLOBAL binlog_row_image = 'FULL' and binlog_row_image = FULL in my.cnf");
        }
        Grants grants = Grants.of(connection);
        String user = "'" + config.user() + "'";
        if (!grants.holds("REPLICATION SLAVE", "*.*")) {
            problems.add("user " + user + " cannot read the binlog: GRANT REPLICATION SLAVE ON *.* TO " + user);
        }
        if (!grants.holds("REPLICATION CLIENT", "*.*") && !grants.holds("BINLOG MONITOR", "*.*") && !grants.holds("SUPER", "*.*")) {
            problems.add("user " + user + " cannot see the binlog position: GRANT "
                    + (config.kind() == DatabaseKind.MARIADB ? "BINLOG MONITOR" : "REPLICATION CLIENT") + " ON *.* TO " + user);
        }
        if (!grants.holds("SELECT", "*.*") && !grants.holds("SELECT", "`" + config.database() + "`.*")) {
            problems.add("user " + user + " cannot read database '" + config.database() + "' for the snapshot: GRANT SELECT ON "
                    + config.database() + ".* TO " + user);
        }
    }

    /** The privileges of the current user, by object, as {@code SHOW GRANTS} lists them. */
    private record Grants(List<String[]> grants) {
        private static final Pattern GRANT = Pattern.compile("GRANT (.+?) ON (\\S+) TO .*", Pattern.CASE_INSENSITIVE);

        static Grants of(Connection connection) throws SQLException {
            List<String[]> grants = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SHOW GRANTS")) {
                while (rows.next()) {
                    Matcher matcher = GRANT.matcher(rows.getString(1));
                    if (matcher.matches()) {
                        grants.add(new String[] {matcher.group(1).toUpperCase(Locale.ROOT), matcher.group(2).toLowerCase(Locale.ROOT)});
                    }
                }
            }
            return new Grants(grants);
        }

        boolean holds(String privilege, String object) {
            for (String[] grant : grants) {
                if (grant[1].equals(object.toLowerCase(Locale.ROOT))) {
                    for (String held : grant[0].split(",")) {
                        String name = held.trim();
                        if (name.equals(privilege) || name.equals("ALL PRIVILEGES") || name.equals("ALL")) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }

    private static String single(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
