package io.harperdb.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.reconciler.Annotations;
import io.harperdb.operator.resources.DesiredStatefulSet;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code kubectl harper}: the kubectl plugin (scripts/kubectl-harper runs this class from the operator's jar).
 * {@code status} prints a HarperCluster's status as {@link StatusReport}; {@code restart}, {@code pause} and
 * {@code resume} set or remove the annotations the operator honours. It talks to the API server of the current
 * kubeconfig context (KUBECONFIG, ~/.kube/config), in its namespace unless {@code -n} says otherwise.
 */
public final class KubectlHarper {
    static final String USAGE = """
            Usage: kubectl harper [-n NAMESPACE] COMMAND CLUSTER

            Commands:
              status CLUSTER    phase, conditions, the mesh (members x peers) and routes pending restart
              restart CLUSTER   restart the managed pods one at a time (annotation harperdb.io/restartedAt)
              pause CLUSTER     stop every write to HarperDB and Kubernetes (harperdb.io/pause-reconciliation=true)
              resume CLUSTER    undo pause
            """;

    private KubectlHarper() {
    }

    public static void main(String[] args) {
        // before any logger exists: warnings to stderr, so that stdout holds only the report
        System.setProperty("logback.configurationFile", "kubectl-harper-logback.xml");
        int code;
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            code = run(client, args, System.out, System.err, Clock.systemUTC());
        }
        System.exit(code);
    }

    /** Runs one command; returns the exit code (0 done, 1 failed, 2 bad usage). */
    static int run(KubernetesClient client, String[] args, PrintStream out, PrintStream err, Clock clock) {
        List<String> words = new ArrayList<>(List.of(args));
        String namespace = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if ((w.equals("-n") || w.equals("--namespace")) && i + 1 < words.size()) {
                namespace = words.remove(i + 1);
                words.remove(i--);
            } else if (w.startsWith("--namespace=")) {
                namespace = w.substring("--namespace=".length());
                words.remove(i--);
            } else if (w.equals("-h") || w.equals("--help") || w.equals("help")) {
                out.print(USAGE);
                return 0;
            }
        }
        if (words.size() != 2) {
            err.print(USAGE);
            return 2;
        }
        String command = words.get(0);
        String name = words.get(1);
        String ns = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
        try {
            HarperCluster cluster = client.resources(HarperCluster.class).inNamespace(ns).withName(name).get();
            if (cluster == null) {
                err.println("HarperCluster " + ns + "/" + name + " not found");
                return 1;
            }
            switch (command) {
                case "status" -> out.print(StatusReport.render(cluster));
                case "restart" -> {
                    String at = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
                    annotate(client, ns, name, a -> put(a, DesiredStatefulSet.RESTARTED_AT_ANNOTATION, at));
                    out.println("harpercluster " + ns + "/" + name + ": restart requested (" + DesiredStatefulSet.RESTARTED_AT_ANNOTATION
                            + "=" + at + "); the pods restart one at a time, each once the cluster is Ready");
                }
                case "pause" -> {
                    annotate(client, ns, name, a -> put(a, Annotations.PAUSE, "true"));
                    out.println("harpercluster " + ns + "/" + name + ": paused (" + Annotations.PAUSE + "=true)");
                }
                case "resume" -> {
                    annotate(client, ns, name, a -> {
                        a.remove(Annotations.PAUSE);
                        return a;
                    });
                    out.println("harpercluster " + ns + "/" + name + ": resumed");
                }
                default -> {
                    err.println("unknown command: " + command);
                    err.print(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (KubernetesClientException e) {
            String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            err.println("kubectl harper " + command + " " + ns + "/" + name + ": " + reason);
            return 1;
        }
    }

    /** A JSON Patch of the annotations, made by the client from the object it read (resourceVersion-checked). */
    private static void annotate(KubernetesClient client, String namespace, String name,
                                 UnaryOperator<Map<String, String>> change) {
        client.resources(HarperCluster.class).inNamespace(namespace).withName(name).edit(c -> {
            Map<String, String> annotations = new HashMap<>(
                    c.getMetadata().getAnnotations() == null ? Map.of() : c.getMetadata().getAnnotations());
            c.getMetadata().setAnnotations(change.apply(annotations));
            return c;
        });
    }

    private static Map<String, String> put(Map<String, String> annotations, String key, String value) {
        annotations.put(key, value);
        return annotations;
    }
}
