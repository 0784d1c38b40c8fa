package io.harperdb.operator.resources;

import io.harperdb.operator.api.HarperCluster;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names and labels of the resources the operator owns for a cluster's managed instances. For a
 * cluster {@code demo}: StatefulSet {@code demo}, pods {@code demo-0..}, headless Service
 * {@code demo-hdb}, client Service {@code demo}, PodDisruptionBudget {@code demo}, admin Secret
 * {@code spec.adminSecret} or {@code demo-admin}, CA Secret {@code demo-ca}, members' certificates {@code demo-tls}.
 */
public final class ResourceNames {
    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
    /**
     * On the pods: "true" while the client Service may route to the pod. Set by the operator, not by the pod
     * template: "false" on pods that leave on a scale-down, so that they take no more writes while they drain.
     */
    public static final String LABEL_SERVING = "harperdb.io/serving";
    public static final String SERVING = "true";
    public static final String NOT_SERVING = "false";
    public static final String APP_NAME = "harperdb";
    public static final String MANAGED_BY = "harperdb-operator";
    public static final String COMPONENT = "database";

    static final String HEADLESS_SUFFIX = "-hdb";
    static final String ADMIN_SECRET_SUFFIX = "-admin";
    static final String CA_SECRET_SUFFIX = "-ca";
    static final String CERTIFICATES_SECRET_SUFFIX = "-tls";

    private ResourceNames() {
    }

    public static String statefulSet(HarperCluster cluster) {
        return name(cluster);
    }

    /** The headless Service that gives each pod its stable DNS name (the StatefulSet's serviceName). */
    public static String headlessService(HarperCluster cluster) {
        return name(cluster) + HEADLESS_SUFFIX;
    }

    /** The Service that clients use: it routes to ready members only. */
    public static String clientService(HarperCluster cluster) {
        return name(cluster);
    }

    public static String podDisruptionBudget(HarperCluster cluster) {
        return name(cluster);
    }

    /** {@code spec.adminSecret} when it names one, else {@code <cluster>-admin}. */
    public static String adminSecret(HarperCluster cluster) {
        String named = cluster.getSpec() == null ? null : cluster.getSpec().getAdminSecret();
        return named != null && !named.isBlank() ? named : name(cluster) + ADMIN_SECRET_SUFFIX;
    }

    /** The cluster's CA (see {@link MemberCertificates}): {@code <cluster>-ca}. */
    public static String caSecret(HarperCluster cluster) {
        return name(cluster) + CA_SECRET_SUFFIX;
    }

    /** The members' certificates, which the pods mount (see {@link MemberCertificates}): {@code <cluster>-tls}. */
    public static String certificatesSecret(HarperCluster cluster) {
        return name(cluster) + CERTIFICATES_SECRET_SUFFIX;
    }

    public static String pod(HarperCluster cluster, int ordinal) {
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must not be negative: " + ordinal);
        }
        return statefulSet(cluster) + "-" + ordinal;
    }

    /** The labels of every owned resource and of the pods. */
    public static Map<String, String> labels(HarperCluster cluster) {
        Map<String, String> labels = new LinkedHashMap<>(selectorLabels(cluster));
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        labels.put(LABEL_COMPONENT, COMPONENT);
        return labels;
    }

    /** The labels that select a cluster's pods; immutable in a StatefulSet, so kept to name and instance. */
    public static Map<String, String> selectorLabels(HarperCluster cluster) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_NAME, APP_NAME);
        labels.put(LABEL_INSTANCE, name(cluster));
        return labels;
    }

    /**
     * The longest name of a HarperCluster with instances: its StatefulSet's pods carry the label
     * controller-revision-hash = "&lt;name&gt;-&lt;hash of up to 10 characters&gt;", a label value of at most 63
     * characters. The headless Service "&lt;name&gt;-hdb" (59 at most) and the pods "&lt;name&gt;-&lt;ordinal&gt;"
     * (with at most {@code Instances.MAX_REPLICAS} of them) then fit in a DNS label too.
     */
    public static final int MAX_MANAGED_NAME = 52;
    /** Services are named after the cluster, and a Service name is a DNS-1035 label: no dots, a letter first. */
    public static final String DNS1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    /** Why this cluster's name cannot name its StatefulSet, Services and pods, or null. */
    public static String nameProblem(HarperCluster cluster) {
        String name = name(cluster);
        if (name == null || !name.matches(DNS1035_LABEL)) {
            return "HarperCluster " + name + " with instances needs a name of lower-case letters, digits and '-' that starts"
                    + " with a letter (no dots): its Services are named after it; rename it";
        }
        if (name.length() > MAX_MANAGED_NAME) {
            return "HarperCluster " + name + " with instances needs a name of at most " + MAX_MANAGED_NAME
                    + " characters (it has " + name.length() + "): its StatefulSet's pods could not be labelled; rename it";
        }
        return null;
    }

    static String name(HarperCluster cluster) {
        return cluster.getMetadata().getName();
    }

    static String namespace(HarperCluster cluster) {
        String namespace = cluster.getMetadata().getNamespace();
        if (namespace == null || namespace.isBlank()) {
            // The pods' DNS names contain it, so a cluster without one cannot have managed instances.
            throw new IllegalArgumentException("HarperCluster " + name(cluster) + " has no namespace");
        }
        return namespace;
    }
}
