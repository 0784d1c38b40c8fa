package io.harperdb.operator.testing;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API discovery ({@code /api}, {@code /apis}, {@code /api/v1}, {@code /apis/GROUP/VERSION}), which the
 * mock server does not answer, so that kubectl can map {@code harperclusters} or {@code pods} to their
 * paths: the kinds the operator and its users touch, and the CRDs' kinds.
 */
final class ApiDiscovery {
    private static final List<String> VERBS = List.of("create", "delete", "get", "list", "patch", "update", "watch");
    private final Map<String, List<APIResource>> byGroupVersion = new LinkedHashMap<>();

    ApiDiscovery(List<CustomResourceDefinition> crds) {
        add("v1", "pods", "Pod", "po");
        add("v1", "services", "Service", "svc");
        add("v1", "secrets", "Secret", null);
        add("v1", "configmaps", "ConfigMap", "cm");
        add("v1", "events", "Event", "ev");
        add("v1", "persistentvolumeclaims", "PersistentVolumeClaim", "pvc");
        add("apps/v1", "statefulsets", "StatefulSet", "sts");
        add("policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", "pdb");
        add("coordination.k8s.io/v1", "leases", "Lease", null);
        add("events.k8s.io/v1", "events", "Event", "ev");
        for (CustomResourceDefinition crd : crds) {
            for (var version : crd.getSpec().getVersions()) {
                var names = crd.getSpec().getNames();
                add(crd.getSpec().getGroup() + "/" + version.getName(), names.getPlural(), names.getKind(),
                        names.getShortNames() == null || names.getShortNames().isEmpty() ? null : names.getShortNames().get(0));
            }
        }
    }

    private void add(String groupVersion, String plural, String kind, String shortName) {
        byGroupVersion.computeIfAbsent(groupVersion, gv -> new ArrayList<>()).add(new APIResourceBuilder()
                .withName(plural).withKind(kind).withNamespaced(true).withVerbs(VERBS).withSingularName(kind.toLowerCase())
                .withShortNames(shortName == null ? List.of() : List.of(shortName)).build());
    }

    /** The discovery document at {@code path}, if it is one. */
    Optional<String> answer(String path) {
        String bare = path.replaceFirst("\\?.*$", "").replaceFirst("/$", "");
        if (bare.equals("/api")) {
            return Optional.of(Serialization.asJson(new APIVersionsBuilder().withVersions("v1")
                    .addNewServerAddressByClientCIDR().withClientCIDR("0.0.0.0/0").withServerAddress("localhost").endServerAddressByClientCIDR()
                    .build()));
        }
        if (bare.equals("/apis")) {
            Map<String, APIGroup> groups = new LinkedHashMap<>();
            byGroupVersion.keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> {
                String group = gv.substring(0, gv.indexOf('/'));
                String version = gv.substring(gv.indexOf('/') + 1);
                groups.put(group, new APIGroupBuilder().withName(group)
                        .addNewVersion().withGroupVersion(gv).withVersion(version).endVersion()
                        .withNewPreferredVersion().withGroupVersion(gv).withVersion(version).endPreferredVersion().build());
            });
            return Optional.of(Serialization.asJson(new APIGroupListBuilder().withGroups(List.copyOf(groups.values())).build()));
        }
        String groupVersion = bare.startsWith("/api/") ? bare.substring(5) : bare.startsWith("/apis/") ? bare.substring(6) : null;
        if (groupVersion != null && byGroupVersion.containsKey(groupVersion)) {
            return Optional.of(Serialization.asJson(new APIResourceListBuilder().withGroupVersion(groupVersion)
                    .withResources(byGroupVersion.get(groupVersion)).build()));
        }
        return Optional.empty();
    }
}
