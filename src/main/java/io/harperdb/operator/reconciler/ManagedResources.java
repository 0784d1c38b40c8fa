package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.resources.AdminSecret;
import io.harperdb.operator.resources.CertManagerCertificates;
import io.harperdb.operator.resources.ClusterCertificates;
import io.harperdb.operator.resources.MemberCertificates;
import io.harperdb.operator.resources.ConfigurationException;
import io.harperdb.operator.resources.DesiredDisruptionBudget;
import io.harperdb.operator.resources.DesiredNetworkPolicy;
import io.harperdb.operator.resources.DesiredServices;
import io.harperdb.operator.resources.DesiredStatefulSet;
import io.harperdb.operator.resources.HarperContainer;
import io.harperdb.operator.resources.OperatorNetwork;
import io.harperdb.operator.resources.OwnerReferences;
import io.harperdb.operator.resources.ResourceNames;
import io.harperdb.operator.resources.TemplateHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Kubernetes resources of a cluster's managed instances as the builders in
 * {@code io.harperdb.operator.resources} describe them: creates what is missing and updates, with JSON
 * Patch, only the fields the operator sets (the API server adds defaults to the rest, which must not
 * count as a difference). The current objects are read from the informer caches ({@link Current}), never
 * with a GET; an informer also brings a deleted object back at once. The admin Secret is only ever created,
 * and only before any instance can have been installed ({@link #ensureAdminSecret}).
 */
public class ManagedResources {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedResources.class);

    /** Where the current owned objects are read: the informer caches of the reconciliation's context. */
    @FunctionalInterface
    public interface Current {
        <T extends HasMetadata> Optional<T> get(Class<T> kind, String name);

        /** The context's secondary resources of that kind, by name. */
        static Current of(io.javaoperatorsdk.operator.api.reconciler.Context<?> context) {
            return new Current() {
                @Override
                public <T extends HasMetadata> Optional<T> get(Class<T> kind, String name) {
                    return context.getSecondaryResourcesAsStream(kind).filter(r -> name.equals(r.getMetadata().getName())).findFirst();
                }
            };
        }
    }

    private final DesiredStatefulSet statefulSets;
    private final EventRecorder events;
    private final OperatorNetwork network;

    public ManagedResources(DesiredStatefulSet statefulSets, EventRecorder events) {
        this(statefulSets, events, OperatorNetwork.DEFAULT);
    }

    /** @param network the operator's pods (let in to the Operations API) and whether NetworkPolicies are on by default */
    public ManagedResources(DesiredStatefulSet statefulSets, EventRecorder events, OperatorNetwork network) {
        this.statefulSets = statefulSets;
        this.events = events;
        this.network = network;
    }

    /**
     * The admin Secret, read through the round's {@code secrets}: when it exists, nothing to do (it is never
     * updated: the members were installed with its password). When it does not, it is generated (a new
     * password) only if no instance can have been installed with another one: the cluster has no StatefulSet
     * and no data volume claim. Else nothing is created and the problem is returned (reason
     * {@value ConfigurationError#ADMIN_SECRET_MISSING}; a Warning Event says it once). Logs names only.
     */
    public Optional<ConfigurationProblem> ensureAdminSecret(KubernetesClient client, HarperCluster cluster,
                                                            Function<String, Optional<Secret>> secrets, Current current) {
        String namespace = cluster.getMetadata().getNamespace();
        String name = ResourceNames.adminSecret(cluster);
        if (secrets.apply(name).isPresent()) {
            return Optional.empty();
        }
        StatefulSet statefulSet = existingStatefulSet(cluster, current);
        List<String> claims = statefulSet == null ? dataClaims(client, cluster) : List.of();
        if (statefulSet != null || !claims.isEmpty()) {
            return Optional.of(reported(cluster, AdminSecretMissing.problem(cluster, statefulSet, claims)));
        }
        Secret secret = AdminSecret.generate(cluster).toSecret(cluster);
        try {
            client.resource(secret).create();
            LOG.info("cluster {}/{}: admin Secret {} created", namespace, cluster.getMetadata().getName(), name);
            events.normal(cluster, "AdminSecretCreated", "Secret " + name + " created with a generated password");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {    // created meanwhile: that one stands
                throw e;
            }
        }
        return Optional.empty();
    }

    /**
     * What {@link #ensureCertificates} found or did: the batch the pods must run, the expiries (for status), where the
     * certificates come from ({@code issuer}: operator, caSecret or cert-manager, as status.tls.issuer), how many
     * replicas the StatefulSet may grow to ({@code ready}: the ordinals holding their certificates), and what is still
     * waited for (cert-manager; null when nothing).
     */
    public record Certificates(String issued, java.time.Instant caExpiry, Map<String, java.time.Instant> expiries, String issuer,
                               int ready, String waitingFor) {
        public Certificates(String issued, java.time.Instant caExpiry, Map<String, java.time.Instant> expiries) {
            this(issued, caExpiry, expiries, io.harperdb.operator.api.TlsStatus.OPERATOR, Integer.MAX_VALUE, null);
        }
    }

    /** cert-manager's Certificate type, by name: no discovery, no cert-manager classes. */
    static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext CERT_MANAGER_CERTIFICATES =
            new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                    .withGroup(CertManagerCertificates.GROUP).withVersion("v1").withKind(CertManagerCertificates.KIND)
                    .withPlural(CertManagerCertificates.PLURAL).withNamespaced(true).build();

    /**
     * The CA that signs the members' certificates, and its members' certificates ({@link MemberCertificates}), for ordinals
     * {@code 0..ordinals-1}. The CA is the user's when spec.tls.caSecret names one (only read: a Secret missing or without
     * a usable CA is a problem, {@value ConfigurationError#CA_SECRET_MISSING} or {@value ConfigurationError#CA_SECRET_INVALID});
     * else the operator's: its Secret is created when missing (never replaced or updated), unless the members' Secret holds
     * certificates it signed (a new CA would be refused by every member not yet restarted, so the user chooses; problem
     * {@value ConfigurationError#TLS_CA_MISSING}); a CA Secret that holds no usable CA is a problem too
     * ({@value ConfigurationError#TLS_CA_INVALID}). The members' Secret is created or updated as {@link MemberCertificates#plan}
     * says; a change of CA goes in steps, each once every pod runs the batch before ({@code rolledOut}). With
     * spec.tls.issuerRef, the certificates come from cert-manager instead ({@link #ensureCertManagerCertificates}). Logs
     * names only.
     *
     * @param running   the ordinals the StatefulSet has now: with cert-manager, those must hold certificates before anything is mounted
     * @param rolledOut whether every pod of the cluster runs the given batch (its pod template's)
     */
    public Certificates ensureCertificates(KubernetesClient client, HarperCluster cluster, Function<String, Optional<Secret>> secrets,
                                           int ordinals, int running, java.time.Instant now, java.util.function.Predicate<String> rolledOut)
            throws CertificatesProblem {
        if (cluster.getSpec().getTls() != null && cluster.getSpec().getTls().getIssuerRef() != null) {
            return ensureCertManagerCertificates(client, cluster, secrets, ordinals, running, now, rolledOut);
        }
        String namespace = cluster.getMetadata().getNamespace();
        String clusterName = namespace + "/" + cluster.getMetadata().getName();
        MemberCertificates.Settings settings = MemberCertificates.Settings.of(cluster.getSpec().getTls());
        String membersName = ResourceNames.certificatesSecret(cluster);
        Secret current = secrets.apply(membersName).orElse(null);
        String userCa = cluster.getSpec().getTls() == null ? null : cluster.getSpec().getTls().getCaSecret();
        String issuer = userCa == null ? io.harperdb.operator.api.TlsStatus.OPERATOR : io.harperdb.operator.api.TlsStatus.CA_SECRET;
        ClusterCertificates.Issued authority = userCa == null ? operatorAuthority(client, cluster, secrets, current, now, settings)
                : userAuthority(cluster, secrets, userCa);
        String batch = current == null || current.getMetadata().getAnnotations() == null ? null
                : current.getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
        MemberCertificates.Plan plan = MemberCertificates.plan(cluster, authority, current, ordinals, now, settings,
                batch == null || rolledOut.test(batch));
        write(client, cluster, plan, current, issuer);
        return new Certificates(plan.issued(), authority.notAfter(), plan.expiries(), issuer, Integer.MAX_VALUE, null);
    }

    /**
     * spec.tls.issuerRef: a cert-manager Certificate per ordinal {@code 0..ordinals-1} (created, its spec updated back,
     * those of ordinals gone deleted), read and written by name with no informer, so that clusters without issuerRef need
     * no cert-manager; then {@code <cluster>-tls} from the Secrets cert-manager wrote. Ordinals are taken in order up to
     * the first without its certificate, which the StatefulSet does not grow past ({@link Certificates#ready}); when even
     * the running ordinals lack theirs (or none has one yet), nothing is mounted and the round stops,
     * {@value ConfigurationError#CERTIFICATES_PENDING}. No cert-manager (the API answers 404 for its Certificates): the
     * round stops, {@value ConfigurationError#CERT_MANAGER_MISSING}.
     */
    private Certificates ensureCertManagerCertificates(KubernetesClient client, HarperCluster cluster,
                                                       Function<String, Optional<Secret>> secrets, int ordinals, int running,
                                                       java.time.Instant now, java.util.function.Predicate<String> rolledOut)
            throws CertificatesProblem {
        String namespace = cluster.getMetadata().getNamespace();
        String clusterName = namespace + "/" + cluster.getMetadata().getName();
        var certificates = client.genericKubernetesResources(CERT_MANAGER_CERTIFICATES).inNamespace(namespace);
        List<io.fabric8.kubernetes.api.model.GenericKubernetesResource> stored;
        try {
            stored = certificates.withLabels(ResourceNames.selectorLabels(cluster)).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            throw new CertificatesProblem(reported(cluster, new ConfigurationProblem(ConfigurationError.CERT_MANAGER_MISSING,
                    "spec.tls.issuerRef names a cert-manager issuer, but the API server has no cert-manager Certificates"
                            + " (certificates.cert-manager.io/v1): install cert-manager, or remove spec.tls.issuerRef."
                            + " Nothing is changed meanwhile")));
        }
        OwnerReference owner = OwnerReferences.controller(cluster);
        Map<String, io.fabric8.kubernetes.api.model.GenericKubernetesResource> byName = new HashMap<>();
        stored.forEach(c -> byName.put(c.getMetadata().getName(), c));
        for (int ordinal = 0; ordinal < ordinals; ordinal++) {
            var desired = CertManagerCertificates.certificate(cluster, ordinal);
            var existing = byName.get(desired.getMetadata().getName());
            if (existing == null) {
                try {
                    certificates.resource(desired).create();
                    LOG.info("cluster {}: cert-manager Certificate {} created", clusterName, desired.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    // not the cluster's (no label), or made meanwhile: its Secret decides, as any
                    LOG.info("cluster {}: cert-manager Certificate {} exists already", clusterName, desired.getMetadata().getName());
                }
            } else if (isOwnedBy(existing, owner) && !CertManagerCertificates.sameSpec(existing, desired)) {
                Map<String, Object> spec = new HashMap<>(CertManagerCertificates.spec(existing));
                spec.putAll(CertManagerCertificates.spec(desired));
                existing.getAdditionalProperties().put("spec", spec);
                certificates.resource(existing).update();
                LOG.info("cluster {}: cert-manager Certificate {} updated", clusterName, desired.getMetadata().getName());
            }
        }
        for (var certificate : stored) {
            Optional<Integer> ordinal = CertManagerCertificates.ordinalOf(cluster, certificate.getMetadata().getName());
            if (ordinal.isPresent() && ordinal.get() >= ordinals && isOwnedBy(certificate, owner)) {
                LOG.info("cluster {}: cert-manager Certificate {} deleted (its ordinal is gone)", clusterName, certificate.getMetadata().getName());
                certificates.resource(certificate).delete();
            }
        }
        CertManagerCertificates.Issued issued = CertManagerCertificates.issued(cluster, ordinals, secrets);
        String membersName = ResourceNames.certificatesSecret(cluster);
        if (issued.ready() == 0 || issued.ready() < running) {
            throw new CertificatesProblem(new ConfigurationProblem(ConfigurationError.CERTIFICATES_PENDING,
                    "waiting for cert-manager: " + issued.waitingFor() + ". Secret " + membersName + " and the pods are left as they are"
                            + " until every running member's certificate is issued"));
        }
        Secret current = secrets.apply(membersName).orElse(null);
        String batch = current == null || current.getMetadata().getAnnotations() == null ? null
                : current.getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
        MemberCertificates.Plan plan = CertManagerCertificates.plan(cluster, issued, current, ordinals, now,
                batch == null || rolledOut.test(batch));
        write(client, cluster, plan, current, io.harperdb.operator.api.TlsStatus.CERT_MANAGER);
        java.time.Instant caExpiry = issued.cas().stream().map(c -> c.getNotAfter().toInstant()).min(java.time.Instant::compareTo).orElseThrow();
        return new Certificates(plan.issued(), caExpiry, plan.expiries(), io.harperdb.operator.api.TlsStatus.CERT_MANAGER, issued.ready(),
                issued.waitingFor() == null ? null : "waiting for cert-manager: " + issued.waitingFor()
                        + "; the StatefulSet grows to " + issued.ready() + " replicas until then");
    }

    /** {@code <cluster>-tls} as the plan says, when it changed (or says another issuer); Events for a renewal or a change of CA. */
    private void write(KubernetesClient client, HarperCluster cluster, MemberCertificates.Plan plan, Secret current, String issuer) {
        String clusterName = cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
        String membersName = ResourceNames.certificatesSecret(cluster);
        if (plan.changed() || current == null || !issuer.equals(MemberCertificates.issuer(current))) {
            Secret desired = MemberCertificates.certificatesSecret(cluster, plan, current, issuer);
            if (current == null) {
                client.resource(desired).create();
            } else {
                client.resource(desired).update();    // with the resourceVersion read: a concurrent change fails it, retried next round
            }
            LOG.info("cluster {}: Secret {} {} (issuer {}, batch {}; renewed {}, added {}, removed {}, CA change {})", clusterName,
                    membersName, current == null ? "created" : "updated", issuer, plan.issued(), plan.renewed(), plan.added(),
                    plan.removed(), plan.trustChange());
            if (plan.trustChange() == MemberCertificates.TrustChange.TRUSTING) {
                events.normal(cluster, "CAChanging", "the members' certificates are to come from a new CA (" + issuer
                        + "): the pods restart one at a time to trust it alongside the old one, then again with its certificates");
            } else if (!plan.renewed().isEmpty()) {
                events.normal(cluster, "CertificatesRenewed", "certificates of " + String.join(", ", plan.renewed())
                        + " renewed (Secret " + membersName + "); the pods restart one at a time to use them");
            }
        }
    }

    /** The user's CA that spec.tls.caSecret names, only read; a problem when it is missing or holds no usable CA. */
    private ClusterCertificates.Issued userAuthority(HarperCluster cluster, Function<String, Optional<Secret>> secrets, String name)
            throws CertificatesProblem {
        String expected = "keys " + MemberCertificates.CA_CERT_KEY + " (a CA certificate) and " + MemberCertificates.CA_KEY_KEY
                + " (its private key), PEM, as cert-manager's CA Issuer reads";
        Optional<Secret> secret = secrets.apply(name);
        if (secret.isEmpty()) {
            throw new CertificatesProblem(reported(cluster, new ConfigurationProblem(ConfigurationError.CA_SECRET_MISSING,
                    "Secret " + name + " named by spec.tls.caSecret does not exist in namespace " + cluster.getMetadata().getNamespace()
                            + ": create it (" + expected + "), or remove spec.tls.caSecret. Nothing is changed meanwhile")));
        }
        try {
            return MemberCertificates.authority(secret.get());
        } catch (IllegalArgumentException e) {
            throw new CertificatesProblem(reported(cluster, new ConfigurationProblem(ConfigurationError.CA_SECRET_INVALID,
                    "Secret " + name + " named by spec.tls.caSecret holds no usable CA: " + e.getMessage() + ". It needs " + expected
                            + ". The operator only reads it; nothing is changed meanwhile")));
        }
    }

    /** The operator's CA of the cluster (Secret {@code <cluster>-ca}): read, or made when it may be. */
    private ClusterCertificates.Issued operatorAuthority(KubernetesClient client, HarperCluster cluster,
                                                         Function<String, Optional<Secret>> secrets, Secret current,
                                                         java.time.Instant now, MemberCertificates.Settings settings)
            throws CertificatesProblem {
        String namespace = cluster.getMetadata().getNamespace();
        String clusterName = namespace + "/" + cluster.getMetadata().getName();
        String caName = ResourceNames.caSecret(cluster);
        String membersName = ResourceNames.certificatesSecret(cluster);
        Optional<Secret> caSecret = secrets.apply(caName);
        if (caSecret.isPresent()) {
            try {
                return MemberCertificates.authority(caSecret.get());
            } catch (IllegalArgumentException e) {
                throw new CertificatesProblem(reported(cluster, new ConfigurationProblem(ConfigurationError.TLS_CA_INVALID,
                        "Secret " + caName + " holds no usable CA (" + e.getMessage() + "; keys " + MemberCertificates.CA_CERT_KEY + " and "
                                + MemberCertificates.CA_KEY_KEY + ", PEM). The operator never replaces a CA that exists: fix it, or delete it"
                                + " and Secret " + membersName + " to have a new CA and certificates issued (the pods then restart one at a time)")));
            }
        }
        // certificates another CA signed (spec.tls.caSecret before) are replaced in steps: a new CA may be made
        if (current != null && MemberCertificates.OPERATOR_ISSUER.equals(MemberCertificates.issuer(current))) {
            throw new CertificatesProblem(reported(cluster, new ConfigurationProblem(ConfigurationError.TLS_CA_MISSING,
                    "Secret " + caName + " does not exist, and Secret " + membersName + " holds certificates that its CA signed: a new CA"
                            + " would not be trusted by the running members. Restore Secret " + caName + ", or delete Secret " + membersName
                            + " to have a new CA and certificates issued (the pods then restart one at a time; while they do, restarted"
                            + " and not yet restarted members refuse each other's links when tls.verify is true)")));
        }
        ClusterCertificates.Issued authority = MemberCertificates.newAuthority(cluster, now, settings);
        try {
            client.resource(MemberCertificates.authoritySecret(cluster, authority)).create();
            LOG.info("cluster {}: CA Secret {} created (valid until {})", clusterName, caName, authority.notAfter());
            events.normal(cluster, "CACreated", "Secret " + caName + " created with a new CA, valid until " + authority.notAfter());
            return authority;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // made meanwhile: that one stands
            Secret made = client.secrets().inNamespace(namespace).withName(caName).get();
            if (made == null) {
                throw e;
            }
            return MemberCertificates.authority(made);
        }
    }

    /** A problem of the cluster's TLS Secrets that stops the round, as {@link ConfigurationProblem}. */
    public static final class CertificatesProblem extends Exception {
        private final transient ConfigurationProblem problem;

        CertificatesProblem(ConfigurationProblem problem) {
            super(problem.reason());
            this.problem = problem;
        }

        public ConfigurationProblem problem() {
            return problem;
        }
    }

    /**
     * The names of the cluster's data volume claims ({@code data-<statefulSet>-<ordinal>}, labelled with the
     * StatefulSet's selector, which the StatefulSet controller copies onto the claims it makes). They outlive the
     * StatefulSet (whenDeleted Retain) and a deleted cluster, and hold what HarperDB installed.
     */
    private static List<String> dataClaims(KubernetesClient client, HarperCluster cluster) {
        String prefix = HarperContainer.DATA_VOLUME + "-" + ResourceNames.statefulSet(cluster) + "-";
        return client.persistentVolumeClaims().inNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ResourceNames.selectorLabels(cluster)).list().getItems().stream()
                .map(c -> c.getMetadata().getName())
                .filter(n -> n.startsWith(prefix) && n.length() > prefix.length() && n.substring(prefix.length()).chars().allMatch(Character::isDigit))
                .toList();
    }

    /**
     * Why the cluster's StatefulSet cannot be built from its spec and the operator's configuration, if it
     * cannot; a Warning Event says so once per new problem.
     */
    public Optional<ConfigurationProblem> configurationProblem(HarperCluster cluster) {
        String problem = ResourceNames.nameProblem(cluster);
        if (problem == null) {
            try {
                statefulSets.build(cluster);
                return Optional.empty();
            } catch (ConfigurationException | IllegalArgumentException e) {    // IllegalArgumentException: a value such as a quantity
                problem = e.getMessage();
            }
        }
        return Optional.of(reported(cluster, ConfigurationProblem.of(problem)));
    }

    /** A Warning Event says a configuration problem once, while the status does not report it yet. */
    private ConfigurationProblem reported(HarperCluster cluster, ConfigurationProblem problem) {
        if (!ConfigurationError.reported(cluster.getStatus(), problem)) {
            LOG.warn("cluster {}/{}: {}", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), problem.message());
            events.warning(cluster, problem.reason(), problem.message());
        }
        return problem;
    }

    /**
     * An object of a name the cluster needs (its Services, PodDisruptionBudget, StatefulSet) that the operator
     * does not manage: it is not taken over, and nothing is changed. The informer caches hold only objects
     * with the operator's managed-by label, so a name missing from them is read from the API server (only
     * until the operator has created its own).
     */
    public Optional<ConfigurationProblem> foreignObject(KubernetesClient client, HarperCluster cluster, Current current) {
        List<HasMetadata> needed = new ArrayList<>(List.of(DesiredServices.headless(cluster), DesiredServices.client(cluster),
                DesiredDisruptionBudget.build(cluster), new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
                        .withNewMetadata().withName(ResourceNames.statefulSet(cluster))
                        .withNamespace(cluster.getMetadata().getNamespace()).endMetadata().build()));
        if (DesiredNetworkPolicy.wanted(cluster, network)) {
            needed.add(DesiredNetworkPolicy.build(cluster, network));
        }
        for (HasMetadata desired : needed) {
            String name = desired.getMetadata().getName();
            if (current.get(desired.getClass(), name).isPresent()) {
                continue;
            }
            HasMetadata stored = client.resources(desired.getClass()).inNamespace(cluster.getMetadata().getNamespace())
                    .withName(name).get();
            if (stored != null && !isManaged(stored, cluster)) {
                return Optional.of(reported(cluster, ConfigurationProblem.of(desired.getKind() + " " + name + " exists and is not managed by "
                        + ResourceNames.MANAGED_BY + " for HarperCluster " + cluster.getMetadata().getName() + " (no label "
                        + ResourceNames.LABEL_MANAGED_BY + "=" + ResourceNames.MANAGED_BY + " and no owner reference to it):"
                        + " it is not taken over; delete or rename it, or rename the HarperCluster")));
            }
        }
        return Optional.empty();
    }

    private static boolean isManaged(HasMetadata stored, HarperCluster cluster) {
        Map<String, String> labels = stored.getMetadata().getLabels();
        return (labels != null && ResourceNames.MANAGED_BY.equals(labels.get(ResourceNames.LABEL_MANAGED_BY)))
                || isOwnedBy(stored, OwnerReferences.controller(cluster));
    }

    public void ensureServices(KubernetesClient client, HarperCluster cluster, Current current) {
        for (Service desired : List.of(DesiredServices.headless(cluster), DesiredServices.client(cluster))) {
            ensure(client, cluster, desired, current, ManagedResources::sameService, (stored, d) -> {
                stored.getSpec().setPorts(keepingNodePorts(stored.getSpec().getPorts(), d.getSpec().getPorts()));
                stored.getSpec().setSelector(d.getSpec().getSelector());
                stored.getSpec().setPublishNotReadyAddresses(d.getSpec().getPublishNotReadyAddresses());
                if (d.getSpec().getType() != null) {
                    // From NodePort or LoadBalancer to ClusterIP, the API server drops the node ports itself.
                    stored.getSpec().setType(d.getSpec().getType());
                }
                Map<String, String> annotations = d.getMetadata().getAnnotations();
                if (annotations != null && !annotations.isEmpty()) {
                    // Added to the Service's own: other controllers (a cloud's load balancer) annotate it too.
                    Map<String, String> merged = new HashMap<>(stored.getMetadata().getAnnotations() == null
                            ? Map.of() : stored.getMetadata().getAnnotations());
                    merged.putAll(annotations);
                    stored.getMetadata().setAnnotations(merged);
                }
            });
        }
    }

    public void ensureDisruptionBudget(KubernetesClient client, HarperCluster cluster, Current current) {
        ensure(client, cluster, DesiredDisruptionBudget.build(cluster), current,
                (existing, desired) -> Objects.equals(existing.getSpec().getMaxUnavailable(), desired.getSpec().getMaxUnavailable())
                        && Objects.equals(existing.getSpec().getSelector(), desired.getSpec().getSelector())
                        && Objects.equals(existing.getSpec().getUnhealthyPodEvictionPolicy(), desired.getSpec().getUnhealthyPodEvictionPolicy()),
                (stored, desired) -> {
                    stored.getSpec().setMaxUnavailable(desired.getSpec().getMaxUnavailable());
                    stored.getSpec().setMinAvailable(null);
                    stored.getSpec().setSelector(desired.getSpec().getSelector());
                    stored.getSpec().setUnhealthyPodEvictionPolicy(desired.getSpec().getUnhealthyPodEvictionPolicy());
                });
    }

    /**
     * The cluster's NetworkPolicy when it wants one ({@link DesiredNetworkPolicy#wanted}): created, or patched back to
     * the desired spec. When it does not, the one the operator made for it (managed-by label, owned by the cluster) is
     * deleted; nothing else is touched.
     */
    public void ensureNetworkPolicy(KubernetesClient client, HarperCluster cluster, Current current) {
        if (DesiredNetworkPolicy.wanted(cluster, network)) {
            ensure(client, cluster, DesiredNetworkPolicy.build(cluster, network), current,
                    (existing, desired) -> Objects.equals(existing.getSpec(), desired.getSpec()),
                    (stored, desired) -> stored.setSpec(desired.getSpec()));
            return;
        }
        current.get(NetworkPolicy.class, DesiredNetworkPolicy.name(cluster))
                .filter(existing -> isOwnedBy(existing, OwnerReferences.controller(cluster)))
                .ifPresent(existing -> {
                    LOG.info("cluster {}/{}: deleting NetworkPolicy {} (spec.networkPolicy is off)", cluster.getMetadata().getNamespace(),
                            cluster.getMetadata().getName(), existing.getMetadata().getName());
                    client.resource(existing).delete();
                });
    }

    /** The cluster's StatefulSet as the informer has it; null when there is none. */
    public StatefulSet existingStatefulSet(HarperCluster cluster, Current current) {
        return current.get(StatefulSet.class, ResourceNames.statefulSet(cluster)).orElse(null);
    }

    /**
     * Creates or updates the StatefulSet with {@code replicas} (which differ from the spec's while members
     * leave the mesh). The template is compared by its hash, the fields the API server defaults aside.
     * Selector, serviceName and volumeClaimTemplates are immutable and left as created.
     */
    public StatefulSet ensureStatefulSet(KubernetesClient client, HarperCluster cluster, int replicas, String certificatesIssued,
                                         Current current) {
        return ensureStatefulSet(client, cluster, replicas, certificatesIssued, current, null);
    }

    /** @param heldImage the HarperDB image to keep instead of the spec's ({@link VersionGate}); null: the spec's */
    public StatefulSet ensureStatefulSet(KubernetesClient client, HarperCluster cluster, int replicas, String certificatesIssued,
                                         Current current, String heldImage) {
        HarperCluster building = cluster;
        if (heldImage != null) {
            building = client.getKubernetesSerialization().clone(cluster);
            building.getSpec().getInstances().setImage(heldImage);
        }
        // `kubectl rollout restart` edits the stored template: kept, so that it rolls the pods instead of being reverted
        StatefulSet desired = statefulSets.build(building, certificatesIssued,
                DesiredStatefulSet.kubectlRestartedAt(existingStatefulSet(cluster, current)));
        desired.getSpec().setReplicas(replicas);
        return ensure(client, cluster, desired, current,
                (existing, d) -> Objects.equals(existing.getSpec().getReplicas(), d.getSpec().getReplicas())
                        && Objects.equals(TemplateHash.desired(existing), TemplateHash.desired(d))
                        && Objects.equals(existing.getSpec().getPersistentVolumeClaimRetentionPolicy(), d.getSpec().getPersistentVolumeClaimRetentionPolicy())
                        && Objects.equals(existing.getSpec().getUpdateStrategy(), d.getSpec().getUpdateStrategy()),
                (stored, d) -> {
                    stored.getSpec().setReplicas(d.getSpec().getReplicas());
                    stored.getSpec().setTemplate(d.getSpec().getTemplate());
                    stored.getSpec().setPersistentVolumeClaimRetentionPolicy(d.getSpec().getPersistentVolumeClaimRetentionPolicy());
                    stored.getSpec().setUpdateStrategy(d.getSpec().getUpdateStrategy());
                });
    }

    /**
     * Resizes the cluster's data claims that request less than {@code storage.size}, where their StorageClass allows
     * volume expansion (read by name; where the operator may not read StorageClasses, as with watchNamespaces, the
     * claim is patched and the API server's answer decides). Returns the {@value VolumeExpansion#CONDITION} condition,
     * if any. Only claims that need growing cause requests.
     */
    public Optional<io.fabric8.kubernetes.api.model.Condition> expandVolumes(KubernetesClient client, HarperCluster cluster,
                                                                             List<PersistentVolumeClaim> cached, long generation) {
        Quantity size = VolumeExpansion.desiredSize(cluster);
        Map<String, PersistentVolumeClaim> claims = new TreeMap<>();
        cached.stream().filter(c -> VolumeExpansion.isDataClaim(cluster, c.getMetadata().getName()))
                .forEach(c -> claims.put(c.getMetadata().getName(), c));
        Map<String, VolumeExpansion.Claim> after = new TreeMap<>();
        claims.forEach((name, claim) -> after.put(name, VolumeExpansion.Claim.of(claim)));
        Map<String, String> stuck = new TreeMap<>();
        Map<String, Optional<String>> classes = new HashMap<>();
        for (VolumeExpansion.Claim small : VolumeExpansion.smaller(size, List.copyOf(after.values()))) {
            String storageClass = small.storageClass();
            Optional<String> whyNot = storageClass == null || storageClass.isEmpty()
                    ? Optional.of("it has no StorageClass")
                    : classes.computeIfAbsent(storageClass, c -> whyNotExpandable(client, c));
            if (whyNot.isPresent()) {
                stuck.put(small.name(), whyNot.get());
                continue;
            }
            try {
                client.resource(claims.get(small.name())).edit(c -> {
                    c.getSpec().getResources().getRequests().put(VolumeExpansion.STORAGE, size);
                    return c;
                });
                LOG.info("cluster {}/{}: volume claim {} resized from {} to {}", cluster.getMetadata().getNamespace(),
                        cluster.getMetadata().getName(), small.name(), small.requested(), size);
                events.normal(cluster, "ResizingVolume", "volume claim " + small.name() + " resized from " + small.requested() + " to " + size);
                after.put(small.name(), new VolumeExpansion.Claim(small.name(), storageClass, size, small.capacity(), small.fileSystemResizePending()));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403 && e.getCode() != 422) {
                    throw e;
                }
                // the admission plugin's answer when the class (or a statically provisioned volume) cannot grow
                String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
                stuck.put(small.name(), "the API server refused to resize it (HTTP " + e.getCode() + "): "
                        + (message.length() > 300 ? message.substring(0, 300) : message));
            }
        }
        return VolumeExpansion.condition(size, stuck, List.copyOf(after.values()), generation);
    }

    /**
     * Why claims of this StorageClass cannot grow, or empty when they can or the operator may not tell (403: no
     * permission to read StorageClasses; the patch is then tried).
     */
    private static Optional<String> whyNotExpandable(KubernetesClient client, String storageClass) {
        try {
            StorageClass found = client.storage().v1().storageClasses().withName(storageClass).get();
            if (found == null) {
                return Optional.of("StorageClass " + storageClass + " does not exist");
            }
            return Boolean.TRUE.equals(found.getAllowVolumeExpansion()) ? Optional.empty()
                    : Optional.of("StorageClass " + storageClass + " does not allow volume expansion (allowVolumeExpansion)");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes a pod so that the StatefulSet makes it again from its current template (a rolling restart). */
    public void restartPod(KubernetesClient client, HarperCluster cluster, String pod) {
        LOG.info("cluster {}/{}: restarting pod {} for its new template (or a restart asked for)", cluster.getMetadata().getNamespace(),
                cluster.getMetadata().getName(), pod);
        client.pods().inNamespace(cluster.getMetadata().getNamespace()).withName(pod).delete();
        events.normal(cluster, "RestartingPod", "pod " + pod + " deleted to run the new pod template; the next waits until the cluster is Ready");
    }

    /**
     * Creates {@code desired} when the cache has none; otherwise, when its owned spec fields, labels or owner
     * reference differ, patches those onto the stored object (JSON Patch, computed by fabric8 from the edit).
     * A create refused because the object exists (the cache had not seen it yet) leaves it to the next round.
     */
    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T ensure(KubernetesClient client, HarperCluster cluster, T desired, Current cache,
                                                    BiPredicate<T, T> sameSpec, BiConsumer<T, T> copySpec) {
        String what = desired.getKind() + " " + desired.getMetadata().getName();
        String clusterName = cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
        T existing = cache.get((Class<T>) desired.getClass(), desired.getMetadata().getName()).orElse(null);
        if (existing == null) {
            LOG.info("cluster {}: creating {}", clusterName, what);
            try {
                return client.resource(desired).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                LOG.info("cluster {}: {} exists already; compared at the next round", clusterName, what);
                return desired;
            }
        }
        OwnerReference owner = OwnerReferences.controller(cluster);
        if (sameSpec.test(existing, desired) && hasLabels(existing, desired) && isOwnedBy(existing, owner)) {
            return existing;
        }
        LOG.info("cluster {}: updating {}", clusterName, what);
        return client.resource(existing).edit(current -> {
            copySpec.accept(current, desired);
            Map<String, String> labels = new HashMap<>(current.getMetadata().getLabels() == null ? Map.of() : current.getMetadata().getLabels());
            labels.putAll(desired.getMetadata().getLabels());
            current.getMetadata().setLabels(labels);
            if (!isOwnedBy(current, owner)) {
                List<OwnerReference> owners = new ArrayList<>(current.getMetadata().getOwnerReferences() == null
                        ? List.of() : current.getMetadata().getOwnerReferences());
                owners.add(owner);
                current.getMetadata().setOwnerReferences(owners);
            }
            return current;
        });
    }

    private static boolean hasLabels(HasMetadata existing, HasMetadata desired) {
        Map<String, String> labels = existing.getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
    }

    static boolean isOwnedBy(HasMetadata resource, OwnerReference owner) {
        List<OwnerReference> owners = resource.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> Objects.equals(o.getUid(), owner.getUid()));
    }

    /** The fields the operator sets; the API server fills clusterIP, nodePorts and more. */
    private static boolean sameService(Service existing, Service desired) {
        Map<String, String> annotations = existing.getMetadata().getAnnotations() == null ? Map.of() : existing.getMetadata().getAnnotations();
        Map<String, String> wanted = desired.getMetadata().getAnnotations() == null ? Map.of() : desired.getMetadata().getAnnotations();
        return Objects.equals(ports(existing), ports(desired))
                && (desired.getSpec().getType() == null || desired.getSpec().getType().equals(existing.getSpec().getType()))
                && annotations.entrySet().containsAll(wanted.entrySet())
                && Objects.equals(existing.getSpec().getSelector(), desired.getSpec().getSelector())
                && Objects.equals(Boolean.TRUE.equals(existing.getSpec().getPublishNotReadyAddresses()),
                Boolean.TRUE.equals(desired.getSpec().getPublishNotReadyAddresses()));
    }

    /**
     * The desired ports with the node port the API server gave each (a NodePort or LoadBalancer Service): without
     * it, any update would have new node ports allocated, under a load balancer's feet.
     */
    static List<ServicePort> keepingNodePorts(List<ServicePort> stored, List<ServicePort> desired) {
        Map<String, Integer> nodePorts = new HashMap<>();
        if (stored != null) {
            stored.stream().filter(p -> p.getName() != null && p.getNodePort() != null).forEach(p -> nodePorts.put(p.getName(), p.getNodePort()));
        }
        return desired.stream().map(p -> {
            ServicePort copy = new ServicePortBuilder(p).build();
            if (copy.getNodePort() == null) {
                copy.setNodePort(nodePorts.get(p.getName()));
            }
            return copy;
        }).toList();
    }

    private static List<String> ports(Service service) {
        List<ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        return ports.stream().map(p -> p.getName() + ":" + p.getPort() + ":" + p.getTargetPort() + ":" + p.getProtocol()).toList();
    }
}
