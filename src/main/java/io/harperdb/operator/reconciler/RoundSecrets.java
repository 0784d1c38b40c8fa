package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Secrets by reference only: the Secrets of one reconcile round, each read with one GET by name.
 *
 * <p>The operator keeps no informer of Secrets. One would cache every Secret of every watched namespace
 * in the operator's memory, and it needs {@code list} and {@code watch} on all of them: RBAC cannot
 * narrow those by label, so an informer with a label selector (for the Secrets the operator generates)
 * would still need the grant on every Secret. The Secrets it reads are named: {@code spec.adminSecret}
 * of a HarperCluster (or the generated {@code <cluster>-admin}) and {@code spec.authorizationSecret} of a
 * HarperNode, and a managed cluster's {@code <cluster>-ca} and {@code <cluster>-tls}. So it reads them with
 * {@code get} by name, which is all the chart grants for reading (with {@code create} for the Secrets it generates
 * and {@code update} for the members' certificates).
 *
 * <p>Each round reads every named Secret afresh, so a changed password or a Secret created after its
 * HarperNode is used at the next round: within {@code spec.pollInterval} (default 30s) when the cluster
 * is Ready, sooner while it converges or fails (a member that refuses the credentials is retried with
 * backoff up to pollInterval). A Secret change itself triggers no reconcile: that would need a watch.
 *
 * <p>Within one round a Secret is read once, however many members name it. A Secret not found is not
 * remembered, so one created during the round (the generated admin Secret) is found by the next read.
 * Not thread-safe: one per round. Holds Secrets; never log it or them.
 */
final class RoundSecrets implements Function<String, Optional<Secret>> {
    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Secret> read = new HashMap<>();

    RoundSecrets(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The Secret {@code name} of the round's namespace, or empty when there is none. */
    @Override
    public Optional<Secret> apply(String name) {
        Secret secret = read.get(name);
        if (secret == null) {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
            if (secret != null) {
                read.put(name, secret);
            }
        }
        return Optional.ofNullable(secret);
    }

    @Override
    public String toString() {
        return "RoundSecrets[" + namespace + ", " + read.size() + " read]";
    }
}
