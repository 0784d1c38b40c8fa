package io.harperdb.operator.testing;

import java.util.Arrays;
import java.util.Optional;

/**
 * What one request to the API server asks of RBAC: a verb on a resource of an API group (with its
 * subresource, such as {@code harpernodes/status}), in a namespace or cluster-wide, on one named object
 * or on a collection. It is how the API server's authorizer sees a request, so that recorded requests
 * ({@link MockKubernetes#requests()}) can be checked against RBAC rules.
 *
 * @param verb      get, list, watch, create, update, patch, delete or deletecollection
 * @param group     the API group; "" for the core group
 * @param resource  the resource as RBAC names it: plural, with "/subresource" when there is one
 * @param namespace the namespace; null for cluster-scoped resources and requests across all namespaces
 * @param name      the object's name; null for requests on a collection (list, watch, create)
 */
public record KubernetesAccess(String verb, String group, String resource, String namespace, String name) {

    public static Optional<KubernetesAccess> of(MockKubernetes.Request request) {
        return of(request.method(), request.path());
    }

    /**
     * The access a request asks for; empty for requests that RBAC checks as non-resource URLs (such as
     * /version and API discovery), which Kubernetes grants to every client by default.
     */
    public static Optional<KubernetesAccess> of(String method, String pathWithQuery) {
        int q = pathWithQuery.indexOf('?');
        String path = q < 0 ? pathWithQuery : pathWithQuery.substring(0, q);
        String query = q < 0 ? "" : pathWithQuery.substring(q + 1);
        String[] parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);

        String group;
        int rest;
        if (parts.length >= 2 && parts[0].equals("api")) {
            group = "";
            rest = 2;
        } else if (parts.length >= 3 && parts[0].equals("apis")) {
            group = parts[1];
            rest = 3;
        } else {
            return Optional.empty();
        }
        String[] tail = Arrays.copyOfRange(parts, rest, parts.length);
        if (tail.length == 0) {
            return Optional.empty();
        }
        String namespace = null;
        // namespaces/{ns}/{resource}...; a bare namespaces/{name} is the Namespace object itself
        if (tail[0].equals("namespaces") && tail.length >= 3) {
            namespace = tail[1];
            tail = Arrays.copyOfRange(tail, 2, tail.length);
        }
        String resource = tail[0] + (tail.length > 2 ? "/" + tail[2] : "");
        String name = tail.length > 1 ? tail[1] : null;
        return Optional.of(new KubernetesAccess(verb(method, name != null, isWatch(query)), group, resource, namespace, name));
    }

    private static String verb(String method, boolean named, boolean watch) {
        return switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("no RBAC verb for HTTP method " + method);
        };
    }

    private static boolean isWatch(String query) {
        return Arrays.stream(query.split("&")).anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
    }

    /** Verb and resource, such as {@code patch harperdb.io/harpernodes/status}: what a rule must grant. */
    public String permission() {
        return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
    }

    @Override
    public String toString() {
        return permission() + (namespace == null ? " (all namespaces or cluster-scoped)" : " in " + namespace)
                + (name == null ? "" : " named " + name);
    }
}
