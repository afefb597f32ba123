package dev.tributary.lake;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetProvider;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;
import org.apache.iceberg.jdbc.UncheckedSQLException;

/**
 * Iceberg's JDBC catalog on SQLite, the local default, made safe for many writers in one
 * process. Its connections close the metadata result sets the catalog leaves open (see
 * {@link ClosingMetadataPool}). SQLite still refuses a write whose read snapshot went stale ({@code SQLITE_BUSY_SNAPSHOT})
 * or finds the database locked; Iceberg's JDBC catalog reports both as an unknown failure,
 * which would fail the writer. Here they become what they are, a commit to try again:
 * {@link CommitFailedException} (Iceberg refreshes and retries), or for a table created
 * meanwhile by another writer, {@link AlreadyExistsException}. The statement that failed
 * changed nothing, so trying again is safe. Other catalogs (REST, Glue) need none of this.
 */
public class SqliteJdbcCatalog extends JdbcCatalog {
    private static final int CREATE_ATTEMPTS = 10;

    public SqliteJdbcCatalog() {
        super(null, properties -> new ClosingMetadataPool(properties.get(CatalogProperties.URI), properties), true);
    }

    @Override
    protected TableOperations newTableOps(TableIdentifier identifier) {
        return new RetryingOperations(super.newTableOps(identifier), identifier);
    }

    static boolean busy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException && cause.getMessage() != null && cause.getMessage().contains("SQLITE_BUSY")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Connections whose metadata queries ({@code getTables}, {@code getColumns}) return copies
     * and close the originals at once. Iceberg's JDBC catalog leaves those result sets open when
     * it starts; on SQLite an open result set keeps its connection reading an old snapshot of
     * the catalog forever (a table created since stays invisible, a commit fails as busy).
     */
    static final class ClosingMetadataPool extends JdbcClientPool {
        ClosingMetadataPool(String uri, Map<String, String> properties) {
            super(uri, properties);
        }

        @Override
        protected Connection newClient() {
            Connection connection = super.newClient();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, arguments) -> {
                        Object result = invoke(connection, method, arguments);
                        return method.getName().equals("getMetaData") ? closingMetadata((DatabaseMetaData) result, (Connection) proxy) : result;
                    });
        }

        private static DatabaseMetaData closingMetadata(DatabaseMetaData metadata, Connection connection) {
            return (DatabaseMetaData) Proxy.newProxyInstance(DatabaseMetaData.class.getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                    (proxy, method, arguments) -> {
                        if (method.getName().equals("getConnection")) {
                            return connection;
                        }
                        Object result = invoke(metadata, method, arguments);
                        if (result instanceof ResultSet rows) {
                            try (rows) {
                                CachedRowSet copy = RowSetProvider.newFactory().createCachedRowSet();
                                copy.populate(rows);
                                return copy;
                            }
                        }
                        return result;
                    });
        }

        private static Object invoke(Object target, Method method, Object[] arguments) throws Throwable {
            try {
                return method.invoke(target, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    private static final class RetryingOperations implements TableOperations {
        private final TableOperations delegate;
        private final TableIdentifier identifier;

        RetryingOperations(TableOperations delegate, TableIdentifier identifier) {
            this.delegate = delegate;
            this.identifier = identifier;
        }

        @Override
        public void commit(TableMetadata base, TableMetadata metadata) {
            for (int attempt = 1; ; attempt++) {
                try {
                    delegate.commit(base, metadata);
                    return;
                } catch (UncheckedSQLException e) {
                    if (!busy(e)) {
                        throw e;
                    }
                    if (base != null) {
                        throw new CommitFailedException(e, "SQLite was busy committing %s; the commit is tried again", identifier);
                    }
                    if (delegate.refresh() != null) {
                        throw new AlreadyExistsException("Table already exists: %s", identifier);
                    }
                    if (attempt >= CREATE_ATTEMPTS) {
                        throw e;
                    }
                    pause(attempt);
                }
            }
        }

        private static void pause(int attempt) {
            try {
                Thread.sleep(20L * attempt);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for SQLite", interrupted);
            }
        }

        @Override
        public TableMetadata current() {
            return delegate.current();
        }

        @Override
        public TableMetadata refresh() {
            return delegate.refresh();
        }

        @Override
        public FileIO io() {
            return delegate.io();
        }

        @Override
        public EncryptionManager encryption() {
            return delegate.encryption();
        }

        @Override
        public String metadataFileLocation(String fileName) {
            return delegate.metadataFileLocation(fileName);
        }

        @Override
        public LocationProvider locationProvider() {
            return delegate.locationProvider();
        }

        @Override
        public TableOperations temp(TableMetadata uncommittedMetadata) {
            return delegate.temp(uncommittedMetadata);
        }

        @Override
        public long newSnapshotId() {
            return delegate.newSnapshotId();
        }

        @Override
        public boolean requireStrictCleanup() {
            return delegate.requireStrictCleanup();
        }
    }
}
