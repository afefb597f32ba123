package dev.tributary.cdc;

import dev.tributary.deadletter.DeadLetter;

/** The outcome of reading one record of a CDC topic: a routed row change, or a dead letter. */
public record ParsedChange(RowChange change, DeadLetter deadLetter) {
    public ParsedChange {
        if ((change == null) == (deadLetter == null)) {
            throw new IllegalArgumentException("exactly one of change and deadLetter must be set");
        }
    }
}
