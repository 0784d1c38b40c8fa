package io.harperdb.operator.demo;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.testing.pods.PodContract;
import io.harperdb.operator.api.Phase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code make demo}: the operator on an embedded default, on a machine with no Kubernetes cluster. It
 * starts the Fabric8 mock API server (CRUD mode, with the CRDs), the operator, and the pod-contract tier
 * ({@link io.harperdb.operator.testing.pods.PodKubelet}: real local HarperDB instances standing in for
 * the pods, run from the pod spec the operator generates); applies the README's Secret command and
 * {@code examples/managed-cluster.yaml}; writes a kubeconfig for kubectl; prints the cluster's phase and
 * members as they converge; and stops everything on Ctrl-C or after {@code --for}.
 *
 * <pre>
 * Demo [--for 10m] [--until-ready] [--example examples/managed-cluster.yaml] [--dir target/demo]
 * </pre>
 * {@code --until-ready} stops with exit code 0 as soon as the cluster is Ready (2 if --for ends first).
 */
public final class Demo {
    private final PrintStream out;
    private final Duration duration;
    private final boolean untilReady;
    private final Path example;
    private final Path dir;

    Demo(PrintStream out, Duration duration, boolean untilReady, Path example, Path dir) {
        this.out = out;
        this.duration = duration;
        this.untilReady = untilReady;
        this.example = example;
        this.dir = dir;
    }

    /** Held, so that the levels set on them stay (java.util.logging keeps loggers weakly). */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver"), java.util.logging.Logger.getLogger("okhttp3"));

    public static void main(String[] args) throws Exception {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        Duration duration = Duration.ofDays(365);
        boolean untilReady = false;
        Path example = Path.of("examples/managed-cluster.yaml");
        Path dir = Path.of("target/demo");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--for" -> duration = parseDuration(args[++i]);
                case "--until-ready" -> untilReady = true;
                case "--example" -> example = Path.of(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: Demo [--for 10m] [--until-ready] [--example FILE] [--dir DIR]; unknown: " + args[i]);
                    System.exit(64);
                }
            }
        }
        int code = new Demo(System.out, duration, untilReady, example, dir).run();
        System.exit(code);
    }

    /** Runs the demo; 0 when it ran its time (or reached Ready with --until-ready), 2 when --until-ready timed out. */
    int run() throws IOException, InterruptedException {
        out.println("harperdb-operator demo: starting an embedded Kubernetes API, the operator and local HarperDB pods");
        try (PodContract k8s = new PodContract(dir)) {
            Thread stopper = new Thread(k8s::close, "demo-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            Path kubeconfig = dir.resolve("kubeconfig").toAbsolutePath();
            Files.writeString(kubeconfig, kubeconfig(k8s.kubernetes().url()));
            String secret = secretName(example);
            k8s.createAdminSecret(secret);
            out.println("created Secret " + secret + " (username admin, a random password)");
            List<String> applied = k8s.apply(example).stream()
                    .map(r -> r.getKind().toLowerCase() + "/" + r.getMetadata().getName() + " created").toList();
            applied.forEach(out::println);
            out.println();
            out.println("From another terminal:");
            out.println("  kubectl --kubeconfig " + kubeconfig + " get harperclusters,harpernodes,statefulsets,pods");
            out.println("  kubectl --kubeconfig " + kubeconfig + " get harperclusters -o yaml");
            out.println("Pods' logs are in " + dir.toAbsolutePath().resolve("kubelet/pods") + "/<pod>/logs/. Ctrl-C stops everything.");
            out.println();
            return watch(k8s, clusterName(k8s), Instant.now().plus(duration));
        }
    }

    private int watch(PodContract k8s, String cluster, Instant end) throws InterruptedException {
        Instant started = Instant.now();
        String last = null;
        while (Instant.now().isBefore(end)) {
            HarperCluster current = k8s.cluster(cluster);
            String line = describe(current);
            if (!Objects.equals(line, last)) {
                out.printf("[%3ds] %s%n", Duration.between(started, Instant.now()).toSeconds(), line);
                last = line;
            }
            if (untilReady && current != null && current.getStatus() != null && current.getStatus().getPhase() == Phase.READY) {
                out.println("Ready after " + Duration.between(started, Instant.now()).toSeconds() + " s");
                return 0;
            }
            Thread.sleep(1000);
        }
        return untilReady ? 2 : 0;
    }

    /** "demo: Ready 3/3; members demo-0 (3 links up), ..." */
    static String describe(HarperCluster cluster) {
        if (cluster == null) {
            return "no HarperCluster";
        }
        HarperClusterStatus status = cluster.getStatus();
        if (status == null || status.getPhase() == null) {
            return cluster.getMetadata().getName() + ": no status yet";
        }
        List<String> members = new ArrayList<>();
        for (MemberStatus member : status.getMembers() == null ? List.<MemberStatus>of() : status.getMembers()) {
            long up = member.getConnections() == null ? 0 : member.getConnections().stream()
                    .filter(c -> Boolean.TRUE.equals(c.getConnected())).count();
            members.add(member.getName() + (Boolean.TRUE.equals(member.getReachable()) ? " (" + up + " links up)" : " (unreachable)"));
        }
        String problems = status.getConditions() == null ? "" : status.getConditions().stream()
                .filter(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> c.getReason()).collect(Collectors.joining(", "));
        return cluster.getMetadata().getName() + ": " + status.getPhase() + " " + status.getReadyMembers()
                + (members.isEmpty() ? "" : "; " + String.join(", ", members))
                + (problems.isEmpty() ? "" : "; " + problems);
    }

    private static String secretName(Path example) throws IOException {
        for (String line : Files.readAllLines(example)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("adminSecret:")) {
                return trimmed.substring("adminSecret:".length()).replaceAll("#.*", "").trim();
            }
        }
        throw new IllegalArgumentException(example + " names no adminSecret");
    }

    private static String clusterName(PodContract k8s) {
        return k8s.user().resources(HarperCluster.class).inNamespace(PodContract.NAMESPACE).list().getItems().get(0).getMetadata().getName();
    }

    public static String kubeconfig(String server) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: demo
                  cluster:
                    server: %s
                users:
                - name: demo
                  user:
                    token: demo
                contexts:
                - name: demo
                  context:
                    cluster: demo
                    user: demo
                    namespace: default
                current-context: demo
                """.formatted(server);
    }

    static Duration parseDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(s|m|h)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--for takes a duration such as 90s, 10m or 1h, was " + text);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
