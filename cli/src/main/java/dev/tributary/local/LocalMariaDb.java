package dev.tributary.local;

import dev.tributary.capture.DatabaseKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB server from the machine's packages (Debian's {@code mariadb-server}), as a
 * throwaway instance: its own data directory, port and socket, a ROW binlog with full row
 * images, and a {@code capture} user with exactly the grants Debezium needs. {@code .ci/run}
 * installs the package; {@code TRIBUTARY_MARIADB_BIN} points at another installation's bin dir.
 * As root (CI, containers) the server runs as root, which mariadbd allows when told explicitly.
 */
public final class LocalMariaDb implements LocalDatabase {
    public static final String DATABASE = "fleet";
    public static final String USER = "capture";
    public static final String PASSWORD = "capture-secret";

    private final Process server;
    private final Path directory;
    private final int port;

    private LocalMariaDb(Process server, Path directory, int port) {
        this.server = server;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts MariaDB with its data under {@code directory} (initialised on first use) on
     * {@code port} (0 for any free port).
     *
     * @param binlogFormat {@code ROW} for capture; the tests also start {@code STATEMENT} to see the error
     */
    public static LocalMariaDb start(Path where, int port, String binlogFormat) throws IOException, InterruptedException, SQLException {
        Path directory = where.toAbsolutePath();
        Path server = binary("mariadbd", "sbin");
        Path data = directory.resolve("data");
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        if (!Files.isDirectory(data.resolve("mysql"))) {
            Files.createDirectories(data);
            List<String> install = new ArrayList<>(List.of(binary("mariadb-install-db", "bin").toString(), "--no-defaults",
                    "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
            if (asRoot) {
                install.add("--user=root");
            }
            run(install);
        }
        int chosen = port == 0 ? Ports.freePort() : port;
        List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults",
                "--datadir=" + data, "--port=" + chosen, "--bind-address=127.0.0.1",
                "--socket=" + directory.resolve("mariadb.sock"), "--pid-file=" + directory.resolve("mariadb.pid"),
                "--log-bin=" + data.resolve("binlog"), "--binlog-format=" + binlogFormat, "--binlog-row-image=FULL",
                "--server-id=1", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
                "--innodb-buffer-pool-size=64M", "--skip-name-resolve", "--log-error=" + directory.resolve("mariadb.err")));
        if (asRoot) {
            command.add("--user=root");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("mariadb.out").toFile()).start();
        LocalMariaDb local = new LocalMariaDb(process, directory, chosen);
        try {
            local.awaitReady(Duration.ofSeconds(60));
            local.prepare();
        } catch (IOException | SQLException | RuntimeException e) {
            local.close();
            throw e;
        }
        return local;
    }

    private static Path binary(String name, String defaultDirectory) {
        String configured = System.getenv("TRIBUTARY_MARIADB_BIN");
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(Path.of(configured, name));
        }
        candidates.add(Path.of("/usr", defaultDirectory, name));
        candidates.add(Path.of("/usr/bin", name));
        candidates.add(Path.of("/usr/sbin", name));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("MariaDB's '" + name + "' was not found (looked in " + candidates + "): install it with"
                + " 'apt-get install mariadb-server' (.ci/run does), or set TRIBUTARY_MARIADB_BIN to the directory that holds it");
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException("mariadbd exited with " + server.exitValue() + "; see " + directory.resolve("mariadb.err"));
            }
            try (Connection ignored = DriverManager.getConnection(rootUrl(), "root", "")) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IOException("MariaDB did not accept connections on port " + port + " within " + timeout.toSeconds() + " s", last);
    }

    /** The captured database and the capture user, created once; the user gets only what capture needs. */
    private void prepare() throws SQLException {
        try (Connection connection = DriverManager.getConnection(rootUrl(), "root", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
            statement.execute("CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            statement.execute("CREATE USER IF NOT EXISTS '" + USER + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "'");
            for (String host : List.of("%", "localhost")) {
                statement.execute("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR, LOCK TABLES ON *.* TO '" + USER + "'@'" + host + "'");
                statement.execute("GRANT ALL PRIVILEGES ON " + DATABASE + ".* TO '" + USER + "'@'" + host + "'");
            }
        }
    }

    /** A root connection, for the tests that take grants away or change server settings. */
    public Connection connectAsRoot() throws SQLException {
        return DriverManager.getConnection(rootUrl(), "root", "");
    }

    private String rootUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(DatabaseKind.MARIADB, "127.0.0.1", port, DATABASE, USER, PASSWORD, DATABASE);
    }

    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
