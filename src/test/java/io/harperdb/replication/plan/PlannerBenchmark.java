package io.harperdb.replication.plan;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.model.Subscription;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Time and allocation of one plan, for 10, 100, 1,000 and 5,000 members (not a test: {@code make bench}).
 * Scenarios: steady (observed == desired, what every poll sees), churn (1% newcomers, 1% leaving, 1%
 * partial members with new subscriptions) and bootstrap (fresh members). One member in ten is partial.
 * Every plan has the round's clock, as the operator's do, so healing runs when nothing else is to be done.
 * After each size's steady plan, two rows that bound it: {@code floor}, one read of every peer record and nothing
 * else, and {@code parse}, the members' cluster_status replies parsed as the operator parses them each round.
 * Arguments: member counts (default 10 100 1000 5000).
 */
public final class PlannerBenchmark {

    private static final List<Route> ROUTES = List.of(Route.of("r1.example.com"), Route.of("r2.example.com", 9933));
    // thread CPU time, not wall time: on a shared machine a wall-clock warm-up can end before the JIT has compiled much
    private static final long WARMUP_CPU_NANOS = 1_000_000_000L;
    private static final long MEASURE_CPU_NANOS = 2_000_000_000L;

    private PlannerBenchmark() {
    }

    public static void main(String[] args) {
        System.out.printf("%8s  %-9s  %8s  %8s  %14s  %14s  %14s%n",
                "members", "scenario", "ops", "plans", "wall ns/plan", "cpu ns/plan", "bytes/plan");
        int[] sizes = args.length == 0 ? new int[] {10, 100, 1000, 5000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int members : sizes) {
            int least = members >= 5000 ? 3 : 10;
            for (String scenario : List.of("steady", "churn", "bootstrap")) {
                PlanInput input = input(scenario, members);
                int ops = ReplicationPlanner.plan(input).operations().size();
                Measured plans = measure(() -> ReplicationPlanner.plan(input).operations().size(), least);
                System.out.printf("%8d  %-9s  %8d  %s%n", members, scenario, ops, plans);
                if (scenario.equals("steady")) {
                    floor(input, members, least);
                    // 5,000 members' replies would be about 7 GB of JSON
                    if (members <= 1000) parse(input, members);
                }
            }
        }
    }

    /** How many times some work ran, and its wall time, thread CPU time and allocation each time. */
    private record Measured(long times, long wallNanos, long cpuNanos, long bytes) {
        @Override
        public String toString() {
            // cpu time as well as wall time: on a shared machine the wall clock includes waiting
            return String.format("%8d  %,14d  %,14d  %,14d", times, wallNanos, cpuNanos, bytes);
        }
    }

    /**
     * Runs {@code work} for {@link #WARMUP_CPU_NANOS} of thread CPU (at least {@code least} times), then measures
     * it for {@link #MEASURE_CPU_NANOS} (at least {@code least} times). {@code work} returns something derived from its
     * result, so that it is not optimized away.
     */
    private static Measured measure(java.util.function.LongSupplier work, int least) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = repeat(work, threads, WARMUP_CPU_NANOS, least);
        long threadId = Thread.currentThread().getId();
        long bytesBefore = threads.getThreadAllocatedBytes(threadId);
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long[] times = new long[1];
        sink += repeat(() -> {
            times[0]++;
            return work.getAsLong();
        }, threads, MEASURE_CPU_NANOS, least);
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        long bytes = threads.getThreadAllocatedBytes(threadId) - bytesBefore;
        if (sink == 42) System.out.print("");  // keeps the results alive
        long n = times[0];
        return new Measured(n, elapsed / n, cpu / n, bytes / n);
    }

    private static long repeat(java.util.function.LongSupplier work, java.lang.management.ThreadMXBean threads, long cpuNanos, int least) {
        long deadline = threads.getCurrentThreadCpuTime() + cpuNanos;
        long sink = 0;
        int done = 0;
        do {
            sink += work.getAsLong();
            done++;
        } while (done < least || threads.getCurrentThreadCpuTime() < deadline);
        return sink;
    }

    /**
     * The least a plan from this input can cost: one read of every peer record (its name's hash, its kind, its
     * subscriptions' fields, its sockets' states) and nothing else, timed as the plans are. A planner that looks
     * at its whole input every round cannot be faster than this.
     */
    private static void floor(PlanInput input, int members, int least) {
        long records = 0;
        for (ObservedMember m : input.observed().values()) records += m.status() == null ? 0 : m.status().peers().size();
        Measured reads = measure(() -> readEveryRecord(input), least);
        System.out.printf("%8d  %-9s  %8s  %s   (%,d records: %.1f ns each)%n",
                members, "floor", "-", reads, records, (double) reads.cpuNanos() / Math.max(1, records));
    }

    private static long readEveryRecord(PlanInput input) {
        long sink = 0;
        for (ObservedMember m : input.observed().values()) {
            if (m.status() == null) continue;
            List<PeerConnection> peers = m.status().peers();
            for (int i = 0; i < peers.size(); i++) {
                PeerConnection peer = peers.get(i);
                sink += peer.name().hashCode() + (Boolean.TRUE.equals(peer.replicates()) ? 1 : 0) + (peer.isConnected() ? 2 : 0);
                if (peer.subscriptions() != null) {
                    for (Subscription s : peer.subscriptions()) sink += s.table().length() + (Boolean.TRUE.equals(s.publish()) ? 1 : 0);
                }
            }
        }
        return sink;
    }

    /**
     * What the operator spends before any plan: the members' cluster_status replies parsed as HarperClient parses
     * them (a tree, then the record), for every member, once a round. The replies are this input's statuses as JSON,
     * which carry fewer fields per socket than HarperDB's (latency, lastReceived...): a lower bound.
     */
    private static void parse(PlanInput input, int members) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        List<byte[]> replies = new ArrayList<>();
        try {
            for (ObservedMember m : input.observed().values()) {
                if (m.status() != null) replies.add(mapper.writeValueAsBytes(m.status()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Measured rounds = measure(() -> {
            long sink = 0;
            for (byte[] reply : replies) {
                try {
                    sink += mapper.treeToValue(mapper.readTree(reply), io.harperdb.replication.model.ClusterStatus.class).peers().size();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return sink;
        }, 3);
        long size = replies.stream().mapToLong(r -> r.length).sum();
        System.out.printf("%8d  %-9s  %8s  %s   (%,d replies, %,d bytes of JSON)%n",
                members, "parse", "-", rounds, replies.size(), size);
    }

    private static PlanInput input(String scenario, int count) {
        List<DesiredMember> desired = new ArrayList<>();
        for (int i = 0; i < count; i++) desired.add(member(i, 0));
        FakeHarper sim = new FakeHarper();
        Set<String> leaving = new TreeSet<>();
        switch (scenario) {
            case "steady" -> sim.converged(desired, ROUTES);
            case "bootstrap" -> desired.forEach(m -> sim.node(m.name()));
            case "churn" -> {
                sim.converged(desired, ROUTES);
                int onePercent = Math.max(1, count / 100);
                for (int k = 0; k < onePercent; k++) {
                    leaving.add(desired.get(2 + 10 * k).name());                        // full members leave
                    desired.set(10 * k, member(10 * k, 1));                             // partial members change
                    DesiredMember newcomer = member(count + 10 * k + 1, 0);
                    desired.add(newcomer);
                    sim.node(newcomer.name());
                }
            }
            default -> throw new IllegalArgumentException(scenario);
        }
        return sim.input(desired, leaving, ROUTES, false).healing(java.time.Instant.parse("2025-01-01T00:00:00Z"), List.of());
    }

    /** Member i: partial when i is a multiple of ten (its subscriptions depend on the variant). */
    private static DesiredMember member(int i, int variant) {
        String name = String.format("hdb-%04d.hdb.ns.svc", i);
        AddNodeRequest connection = AddNodeRequest.hostname(name).withVerifyTls(true)
                .withAuthorization(NodeAuthorization.basic("admin", "password"));
        if (i % 10 != 0) return DesiredMember.full(connection);
        // declared in the order the operator sends them (by database, then table), so that the converged records
        // hold them as HarperDB stores what add_node sent
        return DesiredMember.partial(connection, List.of(
                Subscription.of("data", "cat", false, true),
                Subscription.of("data", "dog", true, variant == 0)));
    }
}
