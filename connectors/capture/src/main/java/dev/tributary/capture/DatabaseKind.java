package dev.tributary.capture;

import java.util.Locale;

/** The databases the capture service reads, each with its Debezium connector. */
public enum DatabaseKind {
    POSTGRES("io.debezium.connector.postgresql.PostgresConnector", 5432),
    MYSQL("io.debezium.connector.mysql.MySqlConnector", 3306),
    MARIADB("io.debezium.connector.mariadb.MariaDbConnector", 3306);

    private final String connectorClass;
    private final int defaultPort;

    DatabaseKind(String connectorClass, int defaultPort) {
        this.connectorClass = connectorClass;
        this.defaultPort = defaultPort;
    }

    public String connectorClass() {
        return connectorClass;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** MySQL and MariaDB read a binlog and keep a schema history; PostgreSQL decodes its WAL. */
    public boolean readsBinlog() {
        return this != POSTGRES;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String jdbcUrl(String host, int port, String database) {
        return switch (this) {
            case POSTGRES -> "jdbc:postgresql://" + host + ":" + port + "/" + database;
            case MYSQL -> "jdbc:mysql://" + host + ":" + port + "/" + database;
            case MARIADB -> "jdbc:mariadb://" + host + ":" + port + "/" + database;
        };
    }
}
