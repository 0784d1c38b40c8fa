package io.harperdb.operator.reconciler;

import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.plan.PlannedOperation;

/** What became of one planned operation: its outcome, or null when it was skipped; and a message. */
public record OperationResult(PlannedOperation operation, Outcome outcome, String message) {
    public boolean succeeded() {
        return outcome == Outcome.SUCCESS;
    }

    public boolean skipped() {
        return outcome == null;
    }
}
