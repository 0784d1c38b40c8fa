package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Tls;
import io.harperdb.replication.Durations;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The two Secrets of a managed cluster's TLS, and what each round decides about them. Pure: no Kubernetes calls.
 *
 * <ul>
 * <li>{@code <cluster>-ca} (type kubernetes.io/tls, keys tls.crt and tls.key): the cluster's CA. Made once, never
 *     replaced nor updated by the operator: the members trust it. It is not mounted into the pods, so that a pod
 *     cannot sign certificates.</li>
 * <li>{@code <cluster>-tls}: what the pods mount. {@code ca.crt}, and for each ordinal {@code <pod>.crt} and
 *     {@code <pod>.key}: one Secret for all, since a StatefulSet's pods share one template and so one volume list;
 *     each HarperDB container picks its own files through {@code $(POD_NAME)} (see {@link HarperContainer}). Its
 *     annotation {@value #ISSUED_ANNOTATION} names the batch of certificates: copied into the pod template, a new
 *     batch (a renewal) makes the pods restart one at a time. A certificate for a new ordinal joins the batch
 *     without changing it, so a scale-up restarts nobody.</li>
 * </ul>
 */
public final class MemberCertificates {
    public static final String CA_SECRET_TYPE = "kubernetes.io/tls";
    public static final String CA_CERT_KEY = "tls.crt";
    public static final String CA_KEY_KEY = "tls.key";
    /** In the mounted Secret: the CA's certificate, which each member trusts. */
    public static final String TRUSTED_CA_KEY = "ca.crt";
    public static final String CERT_SUFFIX = ".crt";
    public static final String KEY_SUFFIX = ".key";
    public static final String ISSUED_ANNOTATION = "harperdb.io/certificates-issued";
    /** Where the certificates come from: operator, caSecret or cert-manager (as status.tls.issuer); absent = operator. */
    public static final String ISSUER_ANNOTATION = "harperdb.io/certificates-issuer";
    public static final String OPERATOR_ISSUER = "operator";

    private MemberCertificates() {
    }

    /** spec.tls's durations. */
    public record Settings(Duration validity, Duration renewBefore, Duration caValidity) {
        public static Settings of(Tls tls) {
            Tls t = tls == null ? new Tls() : tls;
            Duration validity = parse(t.getCertificateValidity(), Tls.DEFAULT_CERTIFICATE_VALIDITY);
            Duration renewBefore = parse(t.getRenewBefore(), Tls.DEFAULT_RENEW_BEFORE);
            // the CRD refuses renewBefore >= validity; were it let through, every round would renew
            if (renewBefore.compareTo(validity) >= 0) {
                renewBefore = validity.dividedBy(3);
            }
            return new Settings(validity, renewBefore, parse(t.getCaValidity(), Tls.DEFAULT_CA_VALIDITY));
        }

        private static Duration parse(String text, String fallback) {
            try {
                return Durations.parse(text == null ? fallback : text);
            } catch (IllegalArgumentException e) {
                return Durations.parse(fallback);
            }
        }
    }

    /** A new CA for the cluster. */
    public static ClusterCertificates.Issued newAuthority(HarperCluster cluster, Instant now, Settings settings) {
        return ClusterCertificates.newAuthority("harperdb-operator CA " + ResourceNames.namespace(cluster) + "/"
                + ResourceNames.name(cluster), now, settings.caValidity());
    }

    /** The CA Secret to create (create only). Never log it. */
    public static Secret authoritySecret(HarperCluster cluster, ClusterCertificates.Issued authority) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA_CERT_KEY, base64(authority.certificatePem()));
        data.put(CA_KEY_KEY, base64(authority.keyPem()));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(ResourceNames.caSecret(cluster))
                .withNamespace(ResourceNames.namespace(cluster))
                .withLabels(ResourceNames.labels(cluster))
                .withOwnerReferences(OwnerReferences.controller(cluster))
                .endMetadata()
                .withType(CA_SECRET_TYPE)
                .withData(data)
                .build();
    }

    /** The CA a Secret holds; IllegalArgumentException (naming no content) when it holds none usable. */
    public static ClusterCertificates.Issued authority(Secret secret) {
        Map<String, String> data = decode(secret);
        for (String key : List.of(CA_CERT_KEY, CA_KEY_KEY)) {
            if (data.get(key) == null || data.get(key).isBlank()) {
                throw new IllegalArgumentException("it has no key " + key);
            }
        }
        ClusterCertificates.Issued authority = ClusterCertificates.parse(data.get(CA_CERT_KEY), data.get(CA_KEY_KEY));
        if (authority.certificate().getBasicConstraints() < 0) {
            throw new IllegalArgumentException("its certificate is not a CA (no basicConstraints CA:true)");
        }
        boolean[] keyUsage = authority.certificate().getKeyUsage();
        if (keyUsage != null && (keyUsage.length < 6 || !keyUsage[5])) {
            throw new IllegalArgumentException("its certificate's key usage does not allow signing certificates (keyCertSign)");
        }
        if (!ClusterCertificates.matches(authority)) {
            throw new IllegalArgumentException("its private key does not belong to its certificate");
        }
        return authority;
    }

    /**
     * What the mounted Secret holds after this round.
     *
     * @param files        its files (decoded), all ordinals' certificates and keys and ca.crt
     * @param issued       the batch ({@value #ISSUED_ANNOTATION})
     * @param renewed      pods whose certificates were issued again (a new batch)
     * @param added        pods that got their first certificate (same batch)
     * @param removed      pods whose certificates were dropped (ordinals the StatefulSet no longer has)
     * @param expiries     per pod, when its certificate expires
     * @param trustChange  what this round changed in ca.crt during a change of CA (see {@link TrustChange}); NONE otherwise
     */
    public record Plan(Map<String, String> files, String issued, List<String> renewed, List<String> added, List<String> removed,
                       Map<String, Instant> expiries, TrustChange trustChange) {
        public Plan(Map<String, String> files, String issued, List<String> renewed, List<String> added, List<String> removed,
                    Map<String, Instant> expiries) {
            this(files, issued, renewed, added, removed, expiries, TrustChange.NONE);
        }

        public boolean changed() {
            return !renewed.isEmpty() || !added.isEmpty() || !removed.isEmpty() || trustChange != TrustChange.NONE;
        }

        /** The earliest expiry of a member certificate; empty with none. */
        public Optional<Instant> earliestExpiry() {
            return expiries.values().stream().min(Instant::compareTo);
        }

        @Override
        public String toString() {    // never the keys
            return "Plan[issued=" + issued + ", renewed=" + renewed + ", added=" + added + ", removed=" + removed
                    + ", trustChange=" + trustChange + "]";
        }
    }

    /**
     * A change of the CA that signs the members' certificates (operator CA to spec.tls.caSecret, say) goes in three steps,
     * so that the members keep verifying each other (and the operator them) all along: first every pod restarts trusting
     * both CAs (TRUSTING: ca.crt holds the new and the old, the certificates stay); once all run that, the certificates
     * are issued again by the new CA and the pods restart again; once all run those, the old CA leaves ca.crt (DROPPED,
     * no restart: the pods already trust the new one).
     */
    public enum TrustChange { NONE, TRUSTING, DROPPED }

    /** As {@link #plan(HarperCluster, ClusterCertificates.Issued, Secret, int, Instant, Settings, boolean)}, every pod running the current batch. */
    public static Plan plan(HarperCluster cluster, ClusterCertificates.Issued authority, Secret current, int ordinals,
                            Instant now, Settings settings) {
        return plan(cluster, authority, current, ordinals, now, settings, true);
    }

    /**
     * The certificates of ordinals {@code 0..ordinals-1}, from those {@code current} holds: a certificate is kept while it
     * is signed by {@code authority}, names its member's hostname, has its key, and is not within
     * {@code renewBefore} of its expiry. When any held one is not kept, all are issued again, in a new batch (the pods
     * restart once for all of them, and their expiries stay together); a missing ordinal gets one in the current batch.
     * A change of CA goes in steps ({@link TrustChange}); a step waits for {@code rolledOut}.
     *
     * @param current   the mounted Secret as it is, or null
     * @param rolledOut every pod of the cluster runs the batch {@code current} names (its pod template's)
     */
    public static Plan plan(HarperCluster cluster, ClusterCertificates.Issued authority, Secret current, int ordinals,
                            Instant now, Settings settings, boolean rolledOut) {
        Map<String, String> held = current == null ? Map.of() : decode(current);
        String batch = current == null || current.getMetadata().getAnnotations() == null ? null
                : current.getMetadata().getAnnotations().get(ISSUED_ANNOTATION);
        X509Certificate ca = authority.certificate();
        List<X509Certificate> trusted = batch == null ? List.of() : ClusterCertificates.parseBundle(held.get(TRUSTED_CA_KEY));
        boolean caTrusted = trusted.stream().anyMatch(c -> ClusterCertificates.same(c, ca));
        if (!trusted.isEmpty() && !caTrusted) {
            return trustBoth(cluster, authority, held, trusted, ordinals, now, settings);
        }
        boolean renewAll = batch == null;
        // a change of CA: certificates another trusted CA signed are issued again once every pod trusts the new CA
        boolean signedByOther = false;
        Map<String, Instant> expiries = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (int ordinal = 0; ordinal < ordinals; ordinal++) {
            String pod = ResourceNames.pod(cluster, ordinal);
            if (!held.containsKey(pod + CERT_SUFFIX)) {
                missing.add(pod);
                continue;
            }
            String hostname = ManagedMembers.nodeName(cluster, ordinal);
            Optional<Instant> expiry = usable(held.get(pod + CERT_SUFFIX), held.get(pod + KEY_SUFFIX), ca, hostname);
            if (expiry.isEmpty()) {
                expiry = trusted.stream().filter(c -> !ClusterCertificates.same(c, ca))
                        .map(c -> usable(held.get(pod + CERT_SUFFIX), held.get(pod + KEY_SUFFIX), c, hostname))
                        .flatMap(Optional::stream).findFirst();
                if (expiry.isPresent()) {
                    signedByOther = true;
                }
            }
            // due within renewBefore, unless its CA ends then too: a new one would not last longer (renewed every round)
            if (expiry.isEmpty() || (!now.isBefore(expiry.get().minus(settings.renewBefore())) && expiry.get().isBefore(authority.notAfter()))) {
                renewAll = true;
            } else {
                expiries.put(pod, expiry.get());
            }
        }
        if (signedByOther && rolledOut) {
            renewAll = true;
        }
        // while a certificate of the old CA may run, both stay trusted; once every pod runs the new CA's, only it
        List<X509Certificate> bundle = new ArrayList<>(List.of(ca));
        trusted.stream().filter(c -> !ClusterCertificates.same(c, ca)).forEach(bundle::add);
        TrustChange trustChange = TrustChange.NONE;
        if (bundle.size() > 1 && !signedByOther && !renewAll && rolledOut) {
            bundle = List.of(ca);
            trustChange = TrustChange.DROPPED;
        }
        Map<String, String> files = new TreeMap<>();
        files.put(TRUSTED_CA_KEY, bundle.stream().map(ClusterCertificates::pem).collect(java.util.stream.Collectors.joining()));
        if (!renewAll && trustChange == TrustChange.NONE && !files.get(TRUSTED_CA_KEY).equals(held.get(TRUSTED_CA_KEY))) {
            trustChange = TrustChange.DROPPED;    // ca.crt re-encoded or reordered: written, no restart
        }
        List<String> renewed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        String issued = renewAll ? now.truncatedTo(ChronoUnit.SECONDS).toString() : batch;
        for (int ordinal = 0; ordinal < ordinals; ordinal++) {
            String pod = ResourceNames.pod(cluster, ordinal);
            boolean isMissing = missing.contains(pod);    // a first certificate, in a new batch or not
            if (renewAll || isMissing) {
                ClusterCertificates.Issued leaf = ClusterCertificates.issue(authority, ManagedMembers.nodeName(cluster, ordinal), now,
                        settings.validity());
                files.put(pod + CERT_SUFFIX, leaf.certificatePem());
                files.put(pod + KEY_SUFFIX, leaf.keyPem());
                expiries.put(pod, leaf.notAfter());
                (isMissing ? added : renewed).add(pod);
            } else {
                files.put(pod + CERT_SUFFIX, held.get(pod + CERT_SUFFIX));
                files.put(pod + KEY_SUFFIX, held.get(pod + KEY_SUFFIX));
            }
        }
        return new Plan(files, issued, renewed, added, removed(held, files), expiries, trustChange);
    }

    /**
     * The first step of a change of CA: ca.crt holds the new CA and those trusted so far, the certificates that one of
     * those signed are kept, in a new batch (the pods restart to trust the new CA). A certificate that none of them signed
     * (or a missing one) is issued by the new CA at once.
     */
    private static Plan trustBoth(HarperCluster cluster, ClusterCertificates.Issued authority, Map<String, String> held,
                                  List<X509Certificate> trusted, int ordinals, Instant now, Settings settings) {
        List<X509Certificate> bundle = new ArrayList<>(List.of(authority.certificate()));
        bundle.addAll(trusted);
        Map<String, String> files = new TreeMap<>();
        files.put(TRUSTED_CA_KEY, bundle.stream().map(ClusterCertificates::pem).collect(java.util.stream.Collectors.joining()));
        Map<String, Instant> expiries = new TreeMap<>();
        List<String> restarted = new ArrayList<>();
        List<String> added = new ArrayList<>();
        for (int ordinal = 0; ordinal < ordinals; ordinal++) {
            String pod = ResourceNames.pod(cluster, ordinal);
            String hostname = ManagedMembers.nodeName(cluster, ordinal);
            Optional<Instant> expiry = trusted.stream().map(c -> usable(held.get(pod + CERT_SUFFIX), held.get(pod + KEY_SUFFIX), c, hostname))
                    .flatMap(Optional::stream).findFirst();
            if (expiry.isPresent()) {
                files.put(pod + CERT_SUFFIX, held.get(pod + CERT_SUFFIX));
                files.put(pod + KEY_SUFFIX, held.get(pod + KEY_SUFFIX));
                expiries.put(pod, expiry.get());
            } else {
                ClusterCertificates.Issued leaf = ClusterCertificates.issue(authority, hostname, now, settings.validity());
                files.put(pod + CERT_SUFFIX, leaf.certificatePem());
                files.put(pod + KEY_SUFFIX, leaf.keyPem());
                expiries.put(pod, leaf.notAfter());
                if (!held.containsKey(pod + CERT_SUFFIX)) {
                    added.add(pod);
                    continue;
                }
            }
            restarted.add(pod);
        }
        return new Plan(files, now.truncatedTo(ChronoUnit.SECONDS).toString(), restarted, added, removed(held, files), expiries,
                TrustChange.TRUSTING);
    }

    private static List<String> removed(Map<String, String> held, Map<String, String> files) {
        return held.keySet().stream().filter(k -> k.endsWith(CERT_SUFFIX) && !k.equals(TRUSTED_CA_KEY))
                .map(k -> k.substring(0, k.length() - CERT_SUFFIX.length()))
                .filter(pod -> !files.containsKey(pod + CERT_SUFFIX))
                .sorted().toList();
    }

    /** The mounted Secret as {@code plan} says: a new one, or {@code current} with its data and batch replaced. Never log it. */
    public static Secret certificatesSecret(HarperCluster cluster, Plan plan, Secret current) {
        return certificatesSecret(cluster, plan, current, OPERATOR_ISSUER);
    }

    /** @param issuer where the certificates come from ({@value #ISSUER_ANNOTATION}) */
    public static Secret certificatesSecret(HarperCluster cluster, Plan plan, Secret current, String issuer) {
        Map<String, String> data = new LinkedHashMap<>();
        plan.files().forEach((k, v) -> data.put(k, base64(v)));
        SecretBuilder builder = current == null ? new SecretBuilder().withNewMetadata()
                .withName(ResourceNames.certificatesSecret(cluster))
                .withNamespace(ResourceNames.namespace(cluster))
                .endMetadata().withType("Opaque")
                : new SecretBuilder(current);
        Secret secret = builder.editMetadata()
                .addToLabels(ResourceNames.labels(cluster))
                .addToAnnotations(ISSUED_ANNOTATION, plan.issued())
                .addToAnnotations(ISSUER_ANNOTATION, issuer)
                .endMetadata()
                .withData(data)
                .withStringData(null)
                .build();
        if (secret.getMetadata().getOwnerReferences() == null || secret.getMetadata().getOwnerReferences().stream()
                .noneMatch(o -> Objects.equals(o.getUid(), cluster.getMetadata().getUid()))) {
            List<io.fabric8.kubernetes.api.model.OwnerReference> owners = new ArrayList<>(
                    secret.getMetadata().getOwnerReferences() == null ? List.of() : secret.getMetadata().getOwnerReferences());
            owners.add(OwnerReferences.controller(cluster));
            secret.getMetadata().setOwnerReferences(owners);
        }
        return secret;
    }

    /** Where the certificates {@code current} holds came from ({@value #ISSUER_ANNOTATION}); operator when it does not say. */
    public static String issuer(Secret current) {
        Map<String, String> annotations = current.getMetadata().getAnnotations();
        String issuer = annotations == null ? null : annotations.get(ISSUER_ANNOTATION);
        return issuer == null ? OPERATOR_ISSUER : issuer;
    }

    /** When a held certificate expires, if it is one this cluster can use for {@code hostname}; empty otherwise. */
    static Optional<Instant> usable(String certificatePem, String keyPem, X509Certificate authority, String hostname) {
        try {
            ClusterCertificates.Issued leaf = ClusterCertificates.parse(certificatePem, keyPem);
            X509Certificate certificate = leaf.certificate();
            if (!ClusterCertificates.signedBy(certificate, authority) || !ClusterCertificates.matches(leaf)
                    || !List.of(hostname).equals(ClusterCertificates.dnsNames(certificate))) {
                return Optional.empty();
            }
            return Optional.of(leaf.notAfter());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A Secret's data, decoded (stringData merged, as the API server would). */
    static Map<String, String> decode(Secret secret) {
        Map<String, String> decoded = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> {
                try {
                    decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // not base64: left out, so the entry counts as missing
                }
            });
        }
        if (secret.getStringData() != null) {
            decoded.putAll(secret.getStringData());
        }
        return decoded;
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
