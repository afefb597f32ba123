package dev.tributary.alerts;

import static java.util.Objects.requireNonNull;

import dev.tributary.config.SecretKeys;
import dev.tributary.schemas.alerts.Alert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs each alert to an HTTP endpoint as a structured-mode CloudEvent
 * ({@code Content-Type: application/cloudevents+json}). A 2xx answer is a delivery; 408, 429,
 * 5xx and I/O errors may be retried; any other answer is final.
 */
public final class WebhookNotifier implements Notifier {
    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    public WebhookNotifier(URI url, Duration timeout) {
        this.url = requireNonNull(url, "url is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "webhook " + SecretKeys.maskUrl(url);
    }

    @Override
    public void deliver(byte[] structuredJson, Alert alert) throws DeliveryException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", AlertCloudEvents.STRUCTURED_CONTENT_TYPE + "; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(structuredJson))
                .build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new DeliveryException(name() + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + SecretKeys.withoutUrl(e.getMessage(), url)),
                    true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(name() + ": interrupted", true, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        boolean retryable = status == 408 || status == 429 || status / 100 == 5;
        throw new DeliveryException(name() + ": HTTP " + status, retryable, null);
    }
}
