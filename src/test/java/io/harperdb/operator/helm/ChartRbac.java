package io.harperdb.operator.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.harperdb.operator.testing.KubernetesAccess;
import io.harperdb.operator.testing.MockKubernetes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The permissions that a rendering of the chart gives the operator: the rules of the ClusterRoles and
 * Roles bound to the ServiceAccount its Deployment runs as, with the namespace each applies in.
 * End-to-end tests can check what they recorded: {@code ChartRbac.defaults().assertGrants(kubernetes.requests())},
 * acting as the user through {@link MockKubernetes#newUserClient()} so that only the operator's requests are recorded.
 */
public final class ChartRbac {
    /**
     * Granted to every authenticated client by Kubernetes' default roles (system:basic-user):
     * JOSDK's leader election asks a SelfSubjectRulesReview whether it may use its Lease.
     */
    static final Set<String> KUBERNETES_DEFAULTS = Set.of(
            "create authorization.k8s.io/selfsubjectrulesreviews",
            "create authorization.k8s.io/selfsubjectaccessreviews");

    /** A rule bound to the operator, in one namespace or (null) in all and cluster-wide. */
    record Grant(String namespace, PolicyRule rule) {
    }

    private final List<Grant> grants;
    private final List<PolicyRule> allRules;

    private ChartRbac(List<Grant> grants, List<PolicyRule> allRules) {
        this.grants = grants;
        this.allRules = allRules;
    }

    /** The chart rendered with its default values. */
    public static ChartRbac defaults() {
        return of(OperatorChart.render(Map.of()));
    }

    static ChartRbac of(List<HasMetadata> documents) {
        Deployment deployment = OperatorChart.single(documents, Deployment.class);
        String serviceAccount = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
        String saNamespace = deployment.getMetadata().getNamespace();
        List<ClusterRole> clusterRoles = OperatorChart.ofKind(documents, ClusterRole.class);
        List<Role> roles = OperatorChart.ofKind(documents, Role.class);

        List<Grant> grants = new ArrayList<>();
        for (ClusterRoleBinding binding : OperatorChart.ofKind(documents, ClusterRoleBinding.class)) {
            if (names(binding.getSubjects(), serviceAccount, saNamespace)) {
                rulesOf(binding.getRoleRef(), null, clusterRoles, roles).forEach(r -> grants.add(new Grant(null, r)));
            }
        }
        for (RoleBinding binding : OperatorChart.ofKind(documents, RoleBinding.class)) {
            if (names(binding.getSubjects(), serviceAccount, saNamespace)) {
                String namespace = binding.getMetadata().getNamespace();
                rulesOf(binding.getRoleRef(), namespace, clusterRoles, roles).forEach(r -> grants.add(new Grant(namespace, r)));
            }
        }
        List<PolicyRule> allRules = Stream.concat(clusterRoles.stream().flatMap(r -> r.getRules().stream()),
                roles.stream().flatMap(r -> r.getRules().stream())).toList();
        return new ChartRbac(grants, allRules);
    }

    private static boolean names(List<Subject> subjects, String serviceAccount, String namespace) {
        return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && serviceAccount.equals(s.getName()) && namespace.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rulesOf(RoleRef ref, String namespace, List<ClusterRole> clusterRoles, List<Role> roles) {
        Stream<? extends HasMetadata> candidates = "ClusterRole".equals(ref.getKind()) ? clusterRoles.stream()
                : roles.stream().filter(r -> Objects.equals(namespace, r.getMetadata().getNamespace()));
        HasMetadata role = candidates.filter(r -> ref.getName().equals(r.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("a binding names " + ref.getKind() + " " + ref.getName()
                        + (namespace == null ? "" : " in " + namespace) + ", which the chart does not render"));
        return role instanceof ClusterRole c ? c.getRules() : ((Role) role).getRules();
    }

    List<Grant> grants() {
        return grants;
    }

    boolean grants(KubernetesAccess access) {
        if (KUBERNETES_DEFAULTS.contains(access.permission())) {
            return true;
        }
        return grants.stream().anyMatch(g -> (g.namespace() == null || g.namespace().equals(access.namespace()))
                && matches(g.rule(), access));
    }

    private static boolean matches(PolicyRule rule, KubernetesAccess access) {
        List<String> names = rule.getResourceNames();
        return rule.getApiGroups().contains(access.group())
                && rule.getResources().contains(access.resource())
                && rule.getVerbs().contains(access.verb())
                // a rule limited to names grants no collection request, create included
                && (names == null || names.isEmpty() || (access.name() != null && names.contains(access.name())));
    }

    /** The recorded requests (of the operator) that these rules do not grant, each once. */
    public Set<String> ungranted(Collection<MockKubernetes.Request> requests) {
        Set<String> missing = new TreeSet<>();
        for (MockKubernetes.Request request : requests) {
            KubernetesAccess.of(request).filter(a -> !grants(a)).ifPresent(a -> missing.add(a + " (" + request.method() + " " + request.path() + ")"));
        }
        return missing;
    }

    public void assertGrants(Collection<MockKubernetes.Request> requests) {
        Set<String> missing = ungranted(requests);
        if (!missing.isEmpty()) {
            throw new AssertionError("the chart's RBAC does not grant what the operator did (add it to harperdb-operator.rules in "
                    + "helm/harperdb-operator/templates/_helpers.tpl, then `make deploy`):\n  " + String.join("\n  ", missing));
        }
    }

    /** Every "verb group/resource" that the rules bound to the operator grant, whatever the namespace. */
    Set<String> permissions() {
        Set<String> permissions = new TreeSet<>();
        for (Grant grant : grants) {
            for (String group : grant.rule().getApiGroups()) {
                for (String resource : grant.rule().getResources()) {
                    for (String verb : grant.rule().getVerbs()) {
                        permissions.add(verb + " " + (group.isEmpty() ? "" : group + "/") + resource);
                    }
                }
            }
        }
        return permissions;
    }

    /** Rules anywhere in the rendering (bound to the operator or not) that use "*" in groups, resources, verbs or names. */
    List<PolicyRule> wildcardRules() {
        return allRules.stream().filter(r -> Stream.of(r.getApiGroups(), r.getResources(), r.getVerbs(), r.getResourceNames(), r.getNonResourceURLs())
                .filter(Objects::nonNull).flatMap(List::stream).anyMatch(s -> s.contains("*"))).toList();
    }

    /** What a SelfSubjectRulesReview answers the operator in this namespace, as the API server computes it. */
    public List<ResourceRule> resourceRulesIn(String namespace) {
        return grants.stream().filter(g -> g.namespace() == null || g.namespace().equals(namespace))
                .map(g -> new ResourceRuleBuilder()
                        .withApiGroups(g.rule().getApiGroups())
                        .withResources(g.rule().getResources())
                        .withVerbs(g.rule().getVerbs())
                        .withResourceNames(g.rule().getResourceNames())
                        .build())
                .toList();
    }
}
