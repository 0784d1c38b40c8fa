package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.IssuerRef;
import io.harperdb.operator.api.Tls;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * spec.tls.issuerRef: the members' certificates come from cert-manager. One cert-manager {@code Certificate} per ordinal
 * ({@code <cluster>-<ordinal>}, as a plain {@link GenericKubernetesResource}: the operator needs none of cert-manager's
 * classes, nor cert-manager itself when issuerRef is unused), whose Secret {@code <cluster>-<ordinal>-tls} (tls.crt,
 * tls.key, ca.crt) cert-manager writes; the operator copies them into the one Secret the pods mount,
 * {@code <cluster>-tls}, in its usual layout ({@link MemberCertificates}). Pure: no Kubernetes calls.
 */
public final class CertManagerCertificates {
    public static final String API_VERSION = "cert-manager.io/v1";
    public static final String KIND = "Certificate";
    public static final String GROUP = "cert-manager.io";
    public static final String PLURAL = "certificates";
    static final String CERT_KEY = "tls.crt";
    static final String KEY_KEY = "tls.key";
    static final String CA_KEY = "ca.crt";

    private CertManagerCertificates() {
    }

    /** The name of ordinal {@code ordinal}'s Certificate. */
    public static String certificateName(HarperCluster cluster, int ordinal) {
        return ResourceNames.name(cluster) + "-" + ordinal;
    }

    /** The Secret cert-manager writes for ordinal {@code ordinal}. */
    public static String secretName(HarperCluster cluster, int ordinal) {
        return certificateName(cluster, ordinal) + "-tls";
    }

    /** The ordinal a Certificate of this cluster is for; empty when its name is not one of the cluster's. */
    public static Optional<Integer> ordinalOf(HarperCluster cluster, String certificateName) {
        String prefix = ResourceNames.name(cluster) + "-";
        if (!certificateName.startsWith(prefix) || certificateName.length() == prefix.length()
                || !certificateName.substring(prefix.length()).chars().allMatch(Character::isDigit)
                || certificateName.length() - prefix.length() > 6) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(certificateName.substring(prefix.length())));
    }

    /**
     * Ordinal {@code ordinal}'s Certificate: CN and only DNS name the member's replication hostname (as the operator's own
     * certificates), server and client auth, an ECDSA P-256 key made again at each renewal, spec.tls's validity and
     * renew-before, the issuer as given; owned by the cluster.
     */
    public static GenericKubernetesResource certificate(HarperCluster cluster, int ordinal) {
        Tls tls = cluster.getSpec().getTls() == null ? new Tls() : cluster.getSpec().getTls();
        IssuerRef ref = tls.getIssuerRef();
        String hostname = ManagedMembers.nodeName(cluster, ordinal);
        Map<String, Object> issuer = new LinkedHashMap<>();
        issuer.put("name", ref.getName());
        issuer.put("kind", ref.getKind() == null ? IssuerRef.ISSUER : ref.getKind());
        issuer.put("group", ref.getGroup() == null ? IssuerRef.CERT_MANAGER_GROUP : ref.getGroup());
        Map<String, Object> privateKey = new LinkedHashMap<>();
        privateKey.put("algorithm", "ECDSA");
        privateKey.put("size", 256);
        privateKey.put("encoding", "PKCS8");
        privateKey.put("rotationPolicy", "Always");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("secretName", secretName(cluster, ordinal));
        spec.put("commonName", hostname);
        spec.put("dnsNames", List.of(hostname));
        spec.put("usages", List.of("digital signature", "server auth", "client auth"));
        spec.put("duration", tls.getCertificateValidity() == null ? Tls.DEFAULT_CERTIFICATE_VALIDITY : tls.getCertificateValidity());
        spec.put("renewBefore", tls.getRenewBefore() == null ? Tls.DEFAULT_RENEW_BEFORE : tls.getRenewBefore());
        spec.put("privateKey", privateKey);
        spec.put("issuerRef", issuer);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withNewMetadata()
                .withName(certificateName(cluster, ordinal))
                .withNamespace(ResourceNames.namespace(cluster))
                .withLabels(ResourceNames.labels(cluster))
                .withOwnerReferences(OwnerReferences.controller(cluster))
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /** A Certificate's spec, as the operator sets it (other fields are cert-manager's to default). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> spec(GenericKubernetesResource certificate) {
        Object spec = certificate.getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** The stored Certificate has every field of the desired spec, with the same value. */
    public static boolean sameSpec(GenericKubernetesResource stored, GenericKubernetesResource desired) {
        Map<String, Object> has = spec(stored);
        return spec(desired).entrySet().stream().allMatch(e -> same(has.get(e.getKey()), e.getValue()));
    }

    @SuppressWarnings("unchecked")
    private static boolean same(Object stored, Object desired) {
        if (desired instanceof Map<?, ?> wanted) {
            return stored instanceof Map<?, ?> map && ((Map<String, Object>) wanted).entrySet().stream()
                    .allMatch(e -> same(((Map<String, Object>) map).get(e.getKey()), e.getValue()));
        }
        if (desired instanceof Number n) {
            return stored instanceof Number s && s.longValue() == n.longValue();
        }
        return java.util.Objects.equals(stored, desired);
    }

    /**
     * What cert-manager has issued so far, for ordinals {@code 0..ordinals-1}, read through {@code secrets}: the
     * first ordinals whose Secret holds a certificate for the member's hostname, its key, and the CA (ca.crt) that signed
     * it, in order; and for the first that does not, why.
     *
     * @param leaves   per pod, its certificate (PEM, the chain cert-manager wrote) and key, for the ready ordinals
     * @param cas      the CA certificates of those (their ca.crt, each once)
     * @param waitingFor null when every ordinal is ready; else what the first one lacks (names only, no content)
     */
    public record Issued(Map<String, String[]> leaves, List<X509Certificate> cas, Map<String, Instant> expiries, String waitingFor) {
        public int ready() {
            return leaves.size();
        }

        @Override
        public String toString() {    // never the keys
            return "Issued[" + leaves.keySet() + ", waitingFor=" + waitingFor + "]";
        }
    }

    public static Issued issued(HarperCluster cluster, int ordinals, Function<String, Optional<Secret>> secrets) {
        Map<String, String[]> leaves = new LinkedHashMap<>();
        List<X509Certificate> cas = new ArrayList<>();
        Map<String, Instant> expiries = new TreeMap<>();
        for (int ordinal = 0; ordinal < ordinals; ordinal++) {
            String name = secretName(cluster, ordinal);
            String certificate = certificateName(cluster, ordinal);
            Optional<Secret> secret = secrets.apply(name);
            if (secret.isEmpty()) {
                return new Issued(leaves, cas, expiries, "Secret " + name + " of Certificate " + certificate + " (not issued yet)");
            }
            Map<String, String> data = MemberCertificates.decode(secret.get());
            String hostname = ManagedMembers.nodeName(cluster, ordinal);
            List<X509Certificate> chain = ClusterCertificates.parseBundle(data.get(CERT_KEY));
            List<X509Certificate> signers = ClusterCertificates.parseBundle(data.get(CA_KEY));
            String problem = null;
            ClusterCertificates.Issued leaf = null;
            try {
                leaf = ClusterCertificates.parse(data.get(CERT_KEY), data.get(KEY_KEY));
            } catch (IllegalArgumentException e) {
                problem = "a certificate and key (tls.crt, tls.key): " + e.getMessage();
            }
            if (problem == null && !List.of(hostname).equals(ClusterCertificates.dnsNames(leaf.certificate()))) {
                problem = "a certificate for " + hostname;
            } else if (problem == null && !ClusterCertificates.matches(leaf)) {
                problem = "a key that belongs to its certificate";
            } else if (problem == null && signers.isEmpty()) {
                problem = "its CA certificate (ca.crt; an issuer that writes none cannot be used)";
            } else if (problem == null && !chains(chain, signers)) {
                problem = "a certificate that its ca.crt signed";
            }
            if (problem != null) {
                return new Issued(leaves, cas, expiries, "Secret " + name + " of Certificate " + certificate + " to hold " + problem);
            }
            leaves.put(ResourceNames.pod(cluster, ordinal), new String[]{data.get(CERT_KEY), data.get(KEY_KEY)});
            expiries.put(ResourceNames.pod(cluster, ordinal), leaf.notAfter());
            signers.stream().filter(c -> cas.stream().noneMatch(k -> ClusterCertificates.same(k, c))).forEach(cas::add);
        }
        return new Issued(leaves, cas, expiries, null);
    }

    /** The chain's leaf was signed by one of {@code signers}, or by an intermediate the chain holds that one of them signed. */
    private static boolean chains(List<X509Certificate> chain, List<X509Certificate> signers) {
        X509Certificate last = chain.get(0);
        for (int i = 1; i <= chain.size(); i++) {
            X509Certificate issuedBy = last;
            if (signers.stream().anyMatch(s -> ClusterCertificates.signedBy(issuedBy, s))) {
                return true;
            }
            if (i == chain.size() || !ClusterCertificates.signedBy(last, chain.get(i))) {
                return false;
            }
            last = chain.get(i);
        }
        return false;
    }

    /**
     * What the mounted Secret holds after this round, from the certificates cert-manager issued ({@code issued}, its ready
     * ordinals only) and what {@code current} holds. A certificate cert-manager changed (a renewal) makes a new batch (the
     * pods restart one at a time); a new ordinal joins the current batch. A change of CA (another issuer, or the operator's
     * CA before) goes in the steps of {@link MemberCertificates.TrustChange}, each once every pod runs the batch before.
     */
    public static MemberCertificates.Plan plan(HarperCluster cluster, Issued issued, Secret current, int ordinals, Instant now,
                                               boolean rolledOut) {
        Map<String, String> held = current == null ? Map.of() : MemberCertificates.decode(current);
        String batch = current == null || current.getMetadata().getAnnotations() == null ? null
                : current.getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
        List<X509Certificate> trusted = batch == null ? List.of() : ClusterCertificates.parseBundle(held.get(MemberCertificates.TRUSTED_CA_KEY));
        boolean newTrusted = issued.cas().stream().allMatch(c -> trusted.stream().anyMatch(t -> ClusterCertificates.same(t, c)));
        List<X509Certificate> others = trusted.stream().filter(t -> issued.cas().stream().noneMatch(c -> ClusterCertificates.same(t, c))).toList();
        String newBatch = now.truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, String> files = new TreeMap<>();
        List<String> renewed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        Map<String, Instant> expiries = new TreeMap<>(issued.expiries());
        if (!trusted.isEmpty() && !newTrusted) {
            // a new CA: first trusted alongside the old, with the certificates the pods run now
            files.put(MemberCertificates.TRUSTED_CA_KEY, pems(issued.cas(), trusted));
            issued.leaves().forEach((pod, leaf) -> {
                Optional<Instant> expiry = heldExpiry(held, pod, trusted);
                if (expiry.isPresent()) {
                    files.put(pod + MemberCertificates.CERT_SUFFIX, held.get(pod + MemberCertificates.CERT_SUFFIX));
                    files.put(pod + MemberCertificates.KEY_SUFFIX, held.get(pod + MemberCertificates.KEY_SUFFIX));
                    expiries.put(pod, expiry.get());
                    renewed.add(pod);
                } else {
                    files.put(pod + MemberCertificates.CERT_SUFFIX, leaf[0]);
                    files.put(pod + MemberCertificates.KEY_SUFFIX, leaf[1]);
                    (held.containsKey(pod + MemberCertificates.CERT_SUFFIX) ? renewed : added).add(pod);
                }
            });
            keepWaiting(cluster, held, files, ordinals);
            return new MemberCertificates.Plan(files, newBatch, renewed, added, removed(held, files), expiries,
                    MemberCertificates.TrustChange.TRUSTING);
        }
        boolean renewAll = batch == null;
        boolean signedByOther = false;
        for (Map.Entry<String, String[]> leaf : issued.leaves().entrySet()) {
            String had = held.get(leaf.getKey() + MemberCertificates.CERT_SUFFIX);
            if (had == null || had.equals(leaf.getValue()[0])) {
                continue;
            }
            if (!others.isEmpty() && heldExpiry(held, leaf.getKey(), others).isPresent()) {
                signedByOther = true;    // the old CA's, to go once every pod trusts the new one
            } else {
                renewAll = true;         // renewed by cert-manager
            }
        }
        if (signedByOther && rolledOut) {
            renewAll = true;
        }
        boolean keepOthers = !others.isEmpty() && (signedByOther || renewAll || !rolledOut);
        files.put(MemberCertificates.TRUSTED_CA_KEY, pems(issued.cas(), keepOthers ? others : List.of()));
        MemberCertificates.TrustChange change = !renewAll && !files.get(MemberCertificates.TRUSTED_CA_KEY).equals(held.get(MemberCertificates.TRUSTED_CA_KEY))
                ? MemberCertificates.TrustChange.DROPPED : MemberCertificates.TrustChange.NONE;
        for (Map.Entry<String, String[]> leaf : issued.leaves().entrySet()) {
            String pod = leaf.getKey();
            String had = held.get(pod + MemberCertificates.CERT_SUFFIX);
            if (had == null || renewAll) {
                files.put(pod + MemberCertificates.CERT_SUFFIX, leaf.getValue()[0]);
                files.put(pod + MemberCertificates.KEY_SUFFIX, leaf.getValue()[1]);
                if (had == null) {
                    added.add(pod);
                } else if (!had.equals(leaf.getValue()[0])) {
                    renewed.add(pod);
                }
            } else {
                files.put(pod + MemberCertificates.CERT_SUFFIX, had);
                files.put(pod + MemberCertificates.KEY_SUFFIX, held.get(pod + MemberCertificates.KEY_SUFFIX));
                if (!had.equals(leaf.getValue()[0])) {
                    heldExpiry(held, pod, trusted).ifPresent(e -> expiries.put(pod, e));
                }
            }
        }
        keepWaiting(cluster, held, files, ordinals);
        return new MemberCertificates.Plan(files, renewAll ? newBatch : batch, renewed, added, removed(held, files), expiries, change);
    }

    /** An ordinal cert-manager has not issued for yet keeps what the mounted Secret holds for it (none runs it yet). */
    private static void keepWaiting(HarperCluster cluster, Map<String, String> held, Map<String, String> files, int ordinals) {
        for (int ordinal = 0; ordinal < ordinals; ordinal++) {
            String pod = ResourceNames.pod(cluster, ordinal);
            for (String key : List.of(pod + MemberCertificates.CERT_SUFFIX, pod + MemberCertificates.KEY_SUFFIX)) {
                if (!files.containsKey(key) && held.containsKey(key)) {
                    files.put(key, held.get(key));
                }
            }
        }
    }

    private static Optional<Instant> heldExpiry(Map<String, String> held, String pod, List<X509Certificate> cas) {
        String certificate = held.get(pod + MemberCertificates.CERT_SUFFIX);
        String key = held.get(pod + MemberCertificates.KEY_SUFFIX);
        if (certificate == null || key == null) {
            return Optional.empty();
        }
        return cas.stream().map(ca -> {
            try {
                ClusterCertificates.Issued leaf = ClusterCertificates.parse(certificate, key);
                return ClusterCertificates.signedBy(leaf.certificate(), ca) && ClusterCertificates.matches(leaf)
                        ? Optional.of(leaf.notAfter()) : Optional.<Instant>empty();
            } catch (IllegalArgumentException e) {
                return Optional.<Instant>empty();
            }
        }).flatMap(Optional::stream).findFirst();
    }

    private static String pems(List<X509Certificate> first, List<X509Certificate> then) {
        List<X509Certificate> all = new ArrayList<>(first);
        then.stream().filter(t -> all.stream().noneMatch(c -> ClusterCertificates.same(c, t))).forEach(all::add);
        return all.stream().map(ClusterCertificates::pem).collect(Collectors.joining());
    }

    private static List<String> removed(Map<String, String> held, Map<String, String> files) {
        return held.keySet().stream().filter(k -> k.endsWith(MemberCertificates.CERT_SUFFIX) && !k.equals(MemberCertificates.TRUSTED_CA_KEY))
                .map(k -> k.substring(0, k.length() - MemberCertificates.CERT_SUFFIX.length()))
                .filter(pod -> !files.containsKey(pod + MemberCertificates.CERT_SUFFIX))
                .sorted().toList();
    }
}
