package dev.tributary.restcatalog;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Iceberg's reference REST catalog, built as Iceberg 1.10's {@code RESTCatalogServer} builds it (a
 * {@link RESTCatalogAdapter} over a JDBC catalog, served by {@link RESTCatalogServlet} behind gzip),
 * with one difference: Jetty listens on {@code CATALOG_REST_HOST} (127.0.0.1 by default) instead of
 * every interface, which Iceberg's server offers no setting for. The catalog's properties come from
 * the environment as there: {@code CATALOG_<KEY>} is property {@code <key>} ({@code __} is {@code -},
 * {@code _} is {@code .}); {@code rest.port} and {@code rest.host} are the server's own.
 */
public final class LoopbackRestCatalogServer {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackRestCatalogServer.class);
    private static final String PREFIX = "CATALOG_";

    private LoopbackRestCatalogServer() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> properties = environmentProperties(System.getenv());
        int port = Integer.parseInt(properties.getOrDefault("rest.port", "8181"));
        String host = properties.getOrDefault("rest.host", "127.0.0.1");
        properties.putIfAbsent(CatalogProperties.CATALOG_IMPL, JdbcCatalog.class.getName());
        properties.putIfAbsent(CatalogProperties.URI, "jdbc:sqlite::memory:");
        properties.putIfAbsent("jdbc.schema-version", "V1");
        Catalog catalog = CatalogUtil.buildIcebergCatalog("rest_backend", properties, new Configuration());

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.addServlet(new ServletHolder(new RESTCatalogServlet(new RESTCatalogAdapter(catalog))), "/*");
        context.insertHandler(new GzipHandler());
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(context);
        server.start();
        // Property names only: their values may hold credentials.
        LOG.info("Iceberg REST catalog on http://{}:{}, catalog properties {}", host, connector.getLocalPort(), properties.keySet());
        server.join();
    }

    static Map<String, String> environmentProperties(Map<String, String> environment) {
        Map<String, String> properties = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(PREFIX)) {
                properties.put(name.substring(PREFIX.length()).replace("__", "-").replace('_', '.').toLowerCase(Locale.ROOT), value);
            }
        });
        return properties;
    }
}
