package dev.tributary.config;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * AWS Secrets Manager's JSON API on the loopback interface, for one secret: {@code GetSecretValue}
 * of that secret id answers its text, any other id a {@code ResourceNotFoundException}, as the
 * service does. Every request is recorded with its headers (lower-case names) and body.
 */
public final class SecretsManagerStub implements AutoCloseable {
    /** What the stub received. */
    public record Request(String method, String path, Map<String, String> headers, String body) {}

    private final HttpServer server;
    private final List<Request> received = new CopyOnWriteArrayList<>();

    public SecretsManagerStub(String secretId, String secretString) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
            boolean found = body.equals("{\"SecretId\":\"" + secretId + "\"}");
            String answer = found
                    ? "{\"ARN\":\"" + secretId + "\",\"Name\":\"secret\",\"SecretString\":" + quoted(secretString) + ",\"VersionId\":\"v1\",\"VersionStages\":[\"AWSCURRENT\"]}"
                    : "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(found ? 200 : 400, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> received() {
        return received;
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
