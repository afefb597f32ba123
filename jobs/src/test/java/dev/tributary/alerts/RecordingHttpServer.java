package dev.tributary.alerts;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on the loopback interface that stands in for a webhook or for SNS: it records
 * each request and answers with the next status of a list (the last one repeating). SNS errors
 * come as SNS's XML error document, so the AWS SDK reads their codes.
 */
public final class RecordingHttpServer implements AutoCloseable {
    /** What the server received. */
    public record Request(String method, String contentType, String authorization, byte[] body) {}

    /** SNS's answer to a successful Publish. */
    public static final String SNS_PUBLISHED = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId>"
            + "</PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>";

    private final HttpServer server;

    private RecordingHttpServer(HttpServer server) {
        this.server = server;
    }

    /** Starts a server that adds each request to {@code received}; a 200 answer has {@code body}, others an error body. */
    public static RecordingHttpServer start(List<Request> received, String contentType, String body, int... statuses) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            received.add(new Request(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), request));
            int status = statuses[Math.min(calls.getAndIncrement(), statuses.length - 1)];
            byte[] answer = status == 200 ? body.getBytes(StandardCharsets.UTF_8) : errorBody(contentType, status).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return new RecordingHttpServer(server);
    }

    /** {@code http://127.0.0.1:<port>/hook}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** {@code http://127.0.0.1:<port>}, an SNS endpoint override. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static String errorBody(String contentType, int status) {
        if (!contentType.contains("xml")) {
            return "";
        }
        String code = status == 400 ? "InvalidParameter" : status == 429 ? "Throttling" : "InternalError";
        return "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>test</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
    }

    /** The fields of a form-encoded request body (an SNS query API request), in their order. */
    public static Map<String, String> form(byte[] body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int equals = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    /** The message attributes of an SNS Publish form, by name; each must be of data type String. */
    public static Map<String, String> stringAttributes(Map<String, String> form) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
            if (!"String".equals(form.get("MessageAttributes.entry." + i + ".Value.DataType"))) {
                throw new AssertionError("attribute " + form.get("MessageAttributes.entry." + i + ".Name") + " is not a String: " + form);
            }
            attributes.put(form.get("MessageAttributes.entry." + i + ".Name"), form.get("MessageAttributes.entry." + i + ".Value.StringValue"));
        }
        return attributes;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
