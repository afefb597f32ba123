package dev.tributary.emr;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.query.TextTable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.DescribeClusterRequest;
import software.amazon.awssdk.services.emr.model.FailureDetails;
import software.amazon.awssdk.services.emr.model.ListStepsRequest;
import software.amazon.awssdk.services.emr.model.StepSummary;

/** A cluster's state, its latest steps (EMR's API) and the Flink applications YARN runs (the ResourceManager's REST API). */
public final class ClusterStatus {
    /** YARN's application type of Flink on YARN. */
    static final String FLINK_APPLICATION_TYPE = "Apache Flink";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A running YARN application. */
    public record Application(String id, String name, String state, Instant started, Duration elapsed, int containers, long memoryMegabytes,
            String trackingUrl) {
        public Application {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(state, "state is null");
            requireNonNull(started, "started is null");
            requireNonNull(elapsed, "elapsed is null");
            requireNonNull(trackingUrl, "trackingUrl is null");
        }
    }

    private final EmrClient emr;

    public ClusterStatus(EmrClient emr) {
        this.emr = requireNonNull(emr, "emr is null");
    }

    public Cluster cluster(String clusterId) {
        return emr.describeCluster(DescribeClusterRequest.builder().clusterId(clusterId).build()).cluster();
    }

    /** The cluster's {@code limit} newest steps, newest first. */
    public List<StepSummary> steps(String clusterId, int limit) {
        return emr.listStepsPaginator(ListStepsRequest.builder().clusterId(clusterId).build()).steps().stream().limit(limit).toList();
    }

    /** The ResourceManager of a cluster whose primary node is {@code primaryDns}: port 8088. */
    public static URI resourceManager(String primaryDns) {
        return URI.create("http://" + primaryDns + ":8088");
    }

    /** The Flink applications YARN runs, from {@code /ws/v1/cluster/apps?states=RUNNING&applicationTypes=Apache%20Flink}. */
    public static List<Application> runningFlinkApplications(HttpClient http, URI resourceManager) throws IOException, InterruptedException {
        URI uri = URI.create(resourceManager.toString().replaceAll("/+$", "") + "/ws/v1/cluster/apps?states=RUNNING&applicationTypes=Apache%20Flink");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the ResourceManager answered HTTP " + response.statusCode() + " to " + uri);
        }
        List<Application> applications = new ArrayList<>();
        for (JsonNode app : JSON.readTree(response.body()).path("apps").path("app")) {
            applications.add(new Application(app.path("id").asText(), app.path("name").asText(), app.path("state").asText(),
                    Instant.ofEpochMilli(app.path("startedTime").asLong()), Duration.ofMillis(app.path("elapsedTime").asLong()),
                    app.path("runningContainers").asInt(), app.path("allocatedMB").asLong(), app.path("trackingUrl").asText()));
        }
        return applications;
    }

    public static String describe(Cluster cluster) {
        return "Cluster " + cluster.id() + " \"" + cluster.name() + "\": " + cluster.status().stateAsString() + ", " + cluster.releaseLabel()
                + ", primary " + Optional.ofNullable(cluster.masterPublicDnsName()).orElse("(none yet)");
    }

    public static String stepsTable(List<StepSummary> steps) {
        List<List<String>> rows = new ArrayList<>();
        for (StepSummary step : steps) {
            var status = step.status();
            var timeline = status.timeline();
            rows.add(List.of(step.id(), step.name(), status.stateAsString(), time(timeline == null ? null : timeline.creationDateTime()),
                    time(timeline == null ? null : timeline.startDateTime()), time(timeline == null ? null : timeline.endDateTime()),
                    failure(status.failureDetails())));
        }
        return TextTable.render(List.of("STEP", "NAME", "STATE", "CREATED", "STARTED", "ENDED", "FAILURE"), rows);
    }

    public static String applicationsTable(List<Application> applications) {
        List<List<String>> rows = new ArrayList<>();
        for (Application application : applications) {
            rows.add(List.of(application.id(), application.name(), application.state(), time(application.started()),
                    running(application.elapsed()), Integer.toString(application.containers()), application.memoryMegabytes() + " MB",
                    application.trackingUrl()));
        }
        return TextTable.render(List.of("APPLICATION", "NAME", "STATE", "STARTED", "RUNNING FOR", "CONTAINERS", "MEMORY", "TRACKING URL"), rows);
    }

    private static String time(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String running(Duration elapsed) {
        long minutes = elapsed.toMinutes();
        return minutes < 60 ? minutes + " min" : minutes / 60 + " h " + minutes % 60 + " min";
    }

    private static String failure(FailureDetails details) {
        if (details == null || details.reason() == null && details.message() == null) {
            return "";
        }
        StringBuilder text = new StringBuilder(Optional.ofNullable(details.reason()).orElse(""));
        if (details.message() != null) {
            text.append(text.length() == 0 ? "" : ": ").append(details.message());
        }
        if (details.logFile() != null) {
            text.append(" (log ").append(details.logFile()).append(')');
        }
        return text.toString();
    }
}
