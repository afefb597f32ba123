package dev.tributary.emr;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A loopback HTTP server standing in for the AWS endpoints the CLI calls (EMR's JSON API, S3's REST API)
 * and for YARN's ResourceManager: it keeps every request as received and answers with what the test's
 * function returns for it.
 */
final class FakeAws implements AutoCloseable {
    /** A request as received; header names in lower case. */
    record Request(String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {
        Request {
            requireNonNull(method, "method is null");
            requireNonNull(path, "path is null");
            headers = Map.copyOf(headers);
            requireNonNull(body, "body is null");
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The payload, with S3's aws-chunked framing (chunk sizes, signatures, trailing checksums) taken off. */
        byte[] payload() {
            String contentSha = String.valueOf(header("x-amz-content-sha256"));
            if (!contentSha.startsWith("STREAMING-") && !String.valueOf(header("content-encoding")).contains("aws-chunked")) {
                return body;
            }
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            int at = 0;
            while (at < body.length) {
                int lineEnd = indexOf(body, at);
                String sizeLine = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                payload.write(body, lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
            return payload.toByteArray();
        }

        private static int indexOf(byte[] bytes, int from) {
            for (int i = from; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    return i;
                }
            }
            throw new IllegalStateException("no CRLF after offset " + from);
        }
    }

    /** An answer: status, headers, body (none for HEAD). */
    record Response(int status, Map<String, String> headers, String body) {
        Response {
            headers = Map.copyOf(headers);
            requireNonNull(body, "body is null");
        }

        static Response json(String body) {
            return new Response(200, Map.of("Content-Type", "application/x-amz-json-1.1"), body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeAws(Function<Request, Response> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            URI uri = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery() == null ? "" : uri.getRawQuery(),
                    headers, exchange.getRequestBody().readAllBytes());
            requests.add(request);
            Response response = answer.apply(request);
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            boolean head = request.method().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), head || body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** "METHOD path" of each request, in order, with EMR's JSON operations named by their X-Amz-Target. */
    List<String> calls() {
        List<String> calls = new ArrayList<>();
        for (Request request : requests) {
            String target = request.header("x-amz-target");
            calls.add(request.method() + " " + request.path() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery())
                    + (target == null ? "" : " " + target));
        }
        return calls;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
