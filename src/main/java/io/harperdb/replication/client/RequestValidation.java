package io.harperdb.replication.client;

import io.harperdb.replication.model.Subscription;
import java.util.List;

/** Checks shared by the requests: HarperDB does not validate these itself. */
final class RequestValidation {
    private RequestValidation() {
    }

    static void requireIdentity(String hostname, String url) {
        if ((hostname == null || hostname.isBlank()) && (url == null || url.isBlank())) {
            throw new InvalidRequestException("a node needs a hostname or a url");
        }
    }

    static void requireCompleteSubscriptions(List<Subscription> subscriptions) {
        if (subscriptions == null) {
            return;
        }
        for (Subscription s : subscriptions) {
            if (s == null) {
                throw new InvalidRequestException("a subscription entry is empty");
            }
            String problems = s.problems();
            if (!problems.isEmpty()) {
                throw new InvalidRequestException(problems);
            }
        }
    }
}
