package dev.tributary.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in this JVM, with its web UI on a local port, running the same job
 * graphs the shaded jar runs on a cluster. Checkpoints go to a directory of the lake, and
 * are kept when a job is cancelled, so that a job can resume from its last one.
 */
public final class LocalFlink implements AutoCloseable {
    /** The only address the local services listen on. */
    public static final String LOOPBACK = "127.0.0.1";

    private final MiniCluster cluster;
    private final Path checkpointDirectory;
    private final int slots;

    private LocalFlink(MiniCluster cluster, Path checkpointDirectory, int slots) {
        this.cluster = cluster;
        this.checkpointDirectory = checkpointDirectory;
        this.slots = slots;
    }

    /**
     * @param webPort the web UI's port; 0 picks a free one
     * @param slots task slots: the largest parallelism a job may use
     */
    public static LocalFlink start(int webPort, int slots, Path checkpointDirectory) throws Exception {
        Ports.requireFree(webPort, "Flink web UI", "--web-port");
        Files.createDirectories(checkpointDirectory);
        Configuration configuration = loopbackOnly(new Configuration());
        configuration.set(RestOptions.PORT, webPort);
        configuration.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        configuration.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("64m"));
        configuration.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("64m"));
        configuration.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        // Jobs run on the application's own class loader here; Hadoop's shutdown hook may touch it after a job ends.
        configuration.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
        configuration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory.toUri().toString());
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        return new LocalFlink(cluster, checkpointDirectory, slots);
    }

    /**
     * {@code configuration} with every socket of a MiniCluster on 127.0.0.1: the REST endpoint (web
     * UI), the JobManager's blob server and RPC, the TaskManager's RPC and data ports. Flink binds the
     * blob server to every interface unless {@code jobmanager.bind-host} says otherwise.
     */
    public static Configuration loopbackOnly(Configuration configuration) {
        configuration.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        configuration.set(RestOptions.ADDRESS, LOOPBACK);
        configuration.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        configuration.set(JobManagerOptions.ADDRESS, LOOPBACK);
        configuration.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        configuration.set(TaskManagerOptions.HOST, LOOPBACK);
        return configuration;
    }

    public URI webUi() throws Exception {
        return cluster.getRestAddress().get(10, TimeUnit.SECONDS);
    }

    public int slots() {
        return slots;
    }

    /** A fresh environment to describe a job in; submit it with {@link #submit}. */
    public StreamExecutionEnvironment newEnvironment() {
        Configuration configuration = new Configuration();
        configuration.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory.toUri().toString());
        configuration.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        // Jobs run on the application's own class loader here; Hadoop's shutdown hook may touch it after a job ends.
        configuration.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
        return StreamExecutionEnvironment.getExecutionEnvironment(configuration);
    }

    public JobID submit(StreamExecutionEnvironment env, String jobName) throws Exception {
        return submit(env, jobName, null);
    }

    /** Submits the job described in {@code env}, restored from a checkpoint or savepoint if one is given. */
    public JobID submit(StreamExecutionEnvironment env, String jobName, Path restoreFrom) throws Exception {
        var streamGraph = env.getStreamGraph();
        streamGraph.setJobName(jobName);
        if (restoreFrom != null) {
            streamGraph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom.toUri().toString(), false));
        }
        JobGraph jobGraph = streamGraph.getJobGraph();
        return cluster.submitJob(jobGraph).get(60, TimeUnit.SECONDS).getJobID();
    }

    public JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get(10, TimeUnit.SECONDS);
    }

    /**
     * How many times the job's tasks were restarted after a failure so far (the highest attempt
     * number of any task): 0 for a job that never failed over, whether it restarted all its
     * tasks or one region of them.
     */
    public int restarts(JobID job) throws Exception {
        int restarts = 0;
        for (var vertex : cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS).getAllExecutionVertices()) {
            restarts = Math.max(restarts, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return restarts;
    }

    /** How many checkpoints of the job have completed so far. */
    public long completedCheckpoints(JobID job) throws Exception {
        var stats = cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS).getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    /**
     * Waits until {@code count} more checkpoints of the job have completed than had when called:
     * everything the job had read by then has gone through a whole checkpoint (its commits, and
     * whatever a repeat of it would have committed).
     */
    public void awaitMoreCheckpoints(JobID job, int count, Duration timeout) throws Exception {
        long target = completedCheckpoints(job) + count;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completedCheckpoints(job) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job + " did not complete " + count + " more checkpoints within " + timeout
                        + " (status " + status(job) + ")");
            }
            Thread.sleep(100);
        }
    }

    /** Waits until the job has at least one running task; fails when it fails first. */
    public void awaitRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobStatus status = status(job);
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("job " + job + " ended as " + status + " before it ran: " + failureOf(job));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + job + " did not start within " + timeout);
    }

    /** Waits for a job to end and returns its result; fails with the job's own error when it failed. */
    public JobResult awaitResult(JobID job, Duration timeout) throws Exception {
        JobResult result = cluster.requestJobResult(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (result.getSerializedThrowable().isPresent()) {
            throw new IllegalStateException("job " + job + " failed", result.getSerializedThrowable().get().deserializeError(getClass().getClassLoader()));
        }
        return result;
    }

    public void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get(30, TimeUnit.SECONDS);
        try {
            cluster.requestJobResult(job).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the job is gone either way
        }
    }

    /** Stops a job with a savepoint in {@code directory} and returns the savepoint's path. */
    public Path stopWithSavepoint(JobID job, Path directory) throws Exception {
        String path = cluster.stopWithSavepoint(job, directory.toUri().toString(), false,
                org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
        return Path.of(URI.create(path));
    }

    /** The newest completed checkpoint a job retained, if any. */
    public Optional<Path> latestCheckpoint(JobID job) throws IOException {
        Path jobDirectory = checkpointDirectory.resolve(job.toHexString());
        if (!Files.isDirectory(jobDirectory)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(jobDirectory)) {
            return entries
                    .filter(path -> path.getFileName().toString().startsWith("chk-"))
                    .filter(path -> Files.exists(path.resolve("_metadata")))
                    .max(Comparator.comparingLong(path -> Long.parseLong(path.getFileName().toString().substring(4))));
        }
    }

    /**
     * Every failure the job has had, whether or not it recovered from it, from Flink's exception
     * history (the REST API's {@code /jobs/:id/exceptions}, as the web UI shows it): empty for a
     * job that never failed a task nor restarted.
     */
    public java.util.List<String> failures(JobID job) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(webUi().resolve("/jobs/" + job + "/exceptions?maxExceptions=100")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Flink's REST API answered " + response.statusCode() + " for the job's exceptions: " + response.body());
        }
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode entry : new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                .path("exceptionHistory").path("entries")) {
            failures.add(entry.path("exceptionName").asText() + ": " + entry.path("stacktrace").asText());
        }
        if (failures.isEmpty() && cluster.getArchivedExecutionGraph(job).get(30, TimeUnit.SECONDS).getStatusTimestamp(JobStatus.RESTARTING) > 0) {
            failures.add("the job restarted");
        }
        return failures;
    }

    private String failureOf(JobID job) {
        try {
            JobResult result = cluster.requestJobResult(job).get(10, TimeUnit.SECONDS);
            return result.getSerializedThrowable()
                    .map(error -> error.getFullStringifiedStackTrace())
                    .orElse("no error reported");
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws Exception {
        cluster.closeAsync().get(60, TimeUnit.SECONDS);
    }
}
