package io.harperdb.operator.resources;

import io.harperdb.operator.api.HarperCluster;

/**
 * Resolves the address of a cluster's managed member by its ordinal. In Kubernetes that is the pod's
 * stable DNS name under the headless Service ({@link #stableDns()}); tests plug in other addresses,
 * such as one loopback address per real HarperDB instance.
 */
@FunctionalInterface
public interface MemberAddressResolver {

    MemberAddress resolve(HarperCluster cluster, int ordinal);

    /** {@code demo-0.demo-hdb.<namespace>.svc}: what the StatefulSet gives each pod as REPLICATION_HOSTNAME. */
    static MemberAddressResolver stableDns() {
        return ManagedMembers::address;
    }
}
