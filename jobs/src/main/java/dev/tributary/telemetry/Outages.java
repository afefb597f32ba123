package dev.tributary.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;

/**
 * Tells an outage (a catalog, store or network that did not answer, or a commit race lost after
 * its retries) from a record that cannot be written: the first must fail the job so that it
 * restarts and tries again, the second must become a dead letter so that it never fails the job.
 */
final class Outages {
    private Outages() {
    }

    /** Whether {@code error}, or any cause of it, is an outage rather than a fault of the record. */
    static boolean isOutage(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException || cause instanceof UncheckedIOException || cause instanceof RuntimeIOException
                    || cause instanceof ServiceFailureException || cause instanceof ServiceUnavailableException
                    || cause instanceof CommitFailedException || cause instanceof CommitStateUnknownException
                    || cause instanceof java.sql.SQLException) {
                return true;
            }
        }
        return false;
    }
}
