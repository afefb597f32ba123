package dev.tributary.lake;

import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table metadata changes our code commits itself (schema evolution, table properties, the
 * main branch), made so that losing a race to another writer is planned again, never a failure.
 * Iceberg retries the commits it can re-apply on newer metadata (appends, row deltas, rewrites:
 * {@code commit.retry.num-retries}); a schema update planned on metadata that has changed cannot
 * be re-applied: its commit fails with {@link CommitFailedException} whenever anyone else
 * committed in between (a checkpoint's data, a compaction, another evolution). Here each attempt
 * refreshes the table, plans the change against what the table holds now (nothing left to do is
 * success), and commits; a lost race waits a little longer each time (with jitter) and plans
 * again, {@value #ATTEMPTS} times at most.
 */
public final class MetadataCommits {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataCommits.class);
    static final int ATTEMPTS = 12;
    private static final long FIRST_PAUSE_MILLIS = 20;
    private static final long LONGEST_PAUSE_MILLIS = 2_000;

    private MetadataCommits() {}

    /** One attempt: plans against freshly loaded metadata and commits, or finds nothing left to do. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run();
    }

    /**
     * Runs {@code attempt} until it does not lose a commit race ({@link CommitFailedException},
     * or {@link CommitStateUnknownException}: planning again against the refreshed table finds
     * out whether the change is there). Other failures are not retried.
     */
    public static <T> T retrying(String description, Attempt<T> attempt) {
        RuntimeException lost = null;
        for (int n = 1; n <= ATTEMPTS; n++) {
            try {
                return attempt.run();
            } catch (CommitFailedException | CommitStateUnknownException e) {
                lost = e;
                LOG.info("{}: another writer committed first (attempt {} of {}); planning again: {}", description, n, ATTEMPTS, e.getMessage());
            }
            if (n < ATTEMPTS) {
                pause(n);
            }
        }
        throw new CommitFailedException(lost, "%s: lost the commit race %d times in a row", description, ATTEMPTS);
    }

    /**
     * Evolves {@code table} so that its schema holds every column of {@code wanted}, by name:
     * missing columns (nested ones too) are added as optional, narrower types widened; a column
     * that is already there, or already wider, is left as it is. Returns the table's schema
     * after, which may hold more (another writer's columns).
     */
    public static Schema unionByName(Table table, Schema wanted) {
        return retrying("evolving " + table.name(), () -> {
            table.refresh();
            UpdateSchema update = table.updateSchema().unionByNameWith(wanted);
            if (!update.apply().sameSchema(table.schema())) {
                update.commit();
                table.refresh();
            }
            return table.schema();
        });
    }

    /**
     * Makes sure the table has its {@code main} branch (on a table without snapshots, an empty
     * snapshot), as Iceberg's dynamic sink would create it on the first row, where a concurrent
     * schema change would fail it.
     */
    public static void ensureMainBranch(Table table) {
        retrying("creating the main branch of " + table.name(), () -> {
            table.refresh();
            if (table.refs().containsKey(SnapshotRef.MAIN_BRANCH)) {
                return null;
            }
            try {
                table.manageSnapshots().createBranch(SnapshotRef.MAIN_BRANCH).commit();
            } catch (IllegalArgumentException e) {
                // Iceberg re-applied the change on newer metadata, where someone else had created the branch.
                table.refresh();
                if (!table.refs().containsKey(SnapshotRef.MAIN_BRANCH)) {
                    throw e;
                }
            }
            return null;
        });
    }

    /** Waits before attempt {@code failedAttempt + 1}: 20 ms doubling up to 2 s, times a random factor in [0.5, 1.5). */
    static void pause(int failedAttempt) {
        long base = Math.min(LONGEST_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(failedAttempt - 1, 20));
        long millis = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to commit again", e);
        }
    }
}
