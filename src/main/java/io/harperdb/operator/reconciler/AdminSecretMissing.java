package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.resources.HarperContainer;
import io.harperdb.operator.resources.ResourceNames;
import java.util.List;
import java.util.Optional;

/**
 * The problem of a managed cluster whose admin Secret does not exist while instances may hold the password
 * they were installed with: its StatefulSet exists, or data volume claims of it do (they outlive a deleted
 * StatefulSet or cluster). HarperDB reads the admin password at install only, so a new generated one would be
 * refused by every instance (401), and a restarted pod, reading a Secret that is not there, would not start.
 * The message says what to do and names Secrets, never their content. Pure.
 */
final class AdminSecretMissing {
    static final String RECOVERY_DOC = "docs/admin-secret.md";
    /** Claims named in the message; the rest are counted. */
    private static final int CLAIMS_NAMED = 3;

    private AdminSecretMissing() {
    }

    /**
     * @param statefulSet the cluster's StatefulSet, or null when there is none
     * @param dataClaims  the names of the cluster's data volume claims (looked for only without a StatefulSet)
     */
    static ConfigurationProblem problem(HarperCluster cluster, StatefulSet statefulSet, List<String> dataClaims) {
        String name = ResourceNames.adminSecret(cluster);
        String secret = "Secret " + name;
        String named = cluster.getSpec() != null && cluster.getSpec().getAdminSecret() != null && !cluster.getSpec().getAdminSecret().isBlank()
                ? secret + " (spec.adminSecret)" : secret + " (the default when spec.adminSecret is not set)";
        Optional<String> previous = statefulSet == null ? Optional.empty()
                : HarperContainer.adminSecretOf(statefulSet).filter(recorded -> !recorded.equals(name));
        String evidence = statefulSet != null
                ? previous.map(p -> "the pods of StatefulSet " + statefulSet.getMetadata().getName() + " take their admin credentials from Secret " + p)
                        .orElse("StatefulSet " + statefulSet.getMetadata().getName() + " exists: its instances hold the admin password they were installed with")
                : "data volume claims of this cluster exist (" + claims(dataClaims) + "): the instances on them hold the admin password they were installed with";
        String fix = "recreate " + secret + " (keys username and password) with those credentials"
                + previous.map(p -> ", or set spec.adminSecret back to " + p).orElse("");
        return new ConfigurationProblem(ConfigurationError.ADMIN_SECRET_MISSING, named + " does not exist, and " + evidence
                + ". The operator generates no new password (the instances would refuse it) and changes nothing until the Secret exists: "
                + fix + " (see " + RECOVERY_DOC + ")");
    }

    private static String claims(List<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        String shown = String.join(", ", sorted.subList(0, Math.min(CLAIMS_NAMED, sorted.size())));
        return sorted.size() > CLAIMS_NAMED ? shown + " and " + (sorted.size() - CLAIMS_NAMED) + " more" : shown;
    }
}
