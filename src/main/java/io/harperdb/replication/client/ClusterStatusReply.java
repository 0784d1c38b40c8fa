package io.harperdb.replication.client;

import io.harperdb.replication.model.ClusterStatus;
import javax.security.auth.x500.X500Principal;

/**
 * A member's {@code cluster_status}, and the issuer of the certificate it served with it (null over plain http): the
 * CA its peers must hold for it to verify it (HarperDB serves the Operations API and replication with one certificate).
 */
public record ClusterStatusReply(ClusterStatus status, X500Principal certificateIssuer) {
}
