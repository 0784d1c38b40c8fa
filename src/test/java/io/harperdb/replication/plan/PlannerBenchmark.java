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
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf("%8s  %-9s  %8s  %8s  %14s  %14s  %14s%n",
                "members", "scenario", "ops", "plans", "wall ns/plan", "cpu ns/plan", "bytes/plan");
        int[] sizes = args.length == 0 ? new int[] {10, 100, 1000, 5000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int members : sizes) {
            for (String scenario : List.of("steady", "churn", "bootstrap")) {
                PlanInput input = input(scenario, members);
                int ops = ReplicationPlanner.plan(input).operations().size();
                run(input, WARMUP_CPU_NANOS, members >= 5000 ? 3 : 10);
                long threadId = Thread.currentThread().getId();
                long bytesBefore = threads.getThreadAllocatedBytes(threadId);
                long cpuBefore = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                long plans = run(input, MEASURE_CPU_NANOS, members >= 5000 ? 3 : 5);
                long elapsed = System.nanoTime() - start;
                long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
                long bytes = threads.getThreadAllocatedBytes(threadId) - bytesBefore;
                // cpu time as well as wall time: on a shared machine the wall clock includes waiting
                System.out.printf("%8d  %-9s  %8d  %8d  %,14d  %,14d  %,14d%n",
                        members, scenario, ops, plans, elapsed / plans, cpu / plans, bytes / plans);
                if (scenario.equals("steady")) floor(input, members, threads);
            }
        }
    }

    /**
     * The least a plan from this input can cost: one read of every peer record (its name's hash, its kind, its
     * subscriptions' fields, its sockets' states) and nothing else, timed as the plans are. A planner that looks
     * at its whole input every round cannot be faster than this.
     */
    private static void floor(PlanInput input, int members, com.sun.management.ThreadMXBean threads) {
        long records = 0;
        for (ObservedMember m : input.observed().values()) records += m.status() == null ? 0 : m.status().peers().size();
        readEveryRecord(input, WARMUP_CPU_NANOS, 10);
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long reads = readEveryRecord(input, MEASURE_CPU_NANOS, 5);
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        System.out.printf("%8d  %-9s  %8s  %8d  %,14d  %,14d  %14s   (%,d records: %.1f ns each)%n",
                members, "floor", "-", reads, elapsed / reads, cpu / reads, "0", records, (double) cpu / reads / Math.max(1, records));
        // 5,000 members' replies would be about 7 GB of JSON
        if (members <= 1000) parse(input, members, threads);
    }

    /**
     * What the operator spends before any plan: the members' cluster_status replies parsed as HarperClient parses
     * them (a tree, then the record), for every member, once a round. The replies are this input's statuses as JSON,
     * which carry fewer fields per socket than HarperDB's (latency, lastReceived...): a lower bound.
     */
    private static void parse(PlanInput input, int members, com.sun.management.ThreadMXBean threads) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        List<byte[]> replies = new ArrayList<>();
        try {
            for (ObservedMember m : input.observed().values()) {
                if (m.status() != null) replies.add(mapper.writeValueAsBytes(m.status()));
            }
            long threadId = Thread.currentThread().getId();
            long rounds = 0;
            long bytesBefore = 0;
            long cpuBefore = 0;
            long start = 0;
            long warmupEnd = threads.getCurrentThreadCpuTime() + WARMUP_CPU_NANOS;
            long deadline = Long.MAX_VALUE;
            int sink = 0;
            for (boolean measuring = false; ; ) {
                for (byte[] reply : replies) {
                    sink += mapper.treeToValue(mapper.readTree(reply), io.harperdb.replication.model.ClusterStatus.class).peers().size();
                }
                long now = threads.getCurrentThreadCpuTime();
                if (!measuring && now >= warmupEnd) {
                    measuring = true;
                    bytesBefore = threads.getThreadAllocatedBytes(threadId);
                    cpuBefore = now;
                    start = System.nanoTime();
                    deadline = now + MEASURE_CPU_NANOS;
                } else if (measuring && (++rounds >= 3 && now >= deadline)) {
                    break;
                }
            }
            long elapsed = System.nanoTime() - start;
            long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
            long bytes = threads.getThreadAllocatedBytes(threadId) - bytesBefore;
            long size = replies.stream().mapToLong(r -> r.length).sum();
            if (sink == 42) System.out.print("");
            System.out.printf("%8d  %-9s  %8s  %8d  %,14d  %,14d  %,14d   (%,d replies, %,d bytes of JSON)%n",
                    members, "parse", "-", rounds, elapsed / rounds, cpu / rounds, bytes / rounds, replies.size(), size);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long readEveryRecord(PlanInput input, long cpuNanos, int least) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long reads = 0;
        long deadline = threads.getCurrentThreadCpuTime() + cpuNanos;
        long sink = 0;
        do {
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
            reads++;
        } while (reads < least || threads.getCurrentThreadCpuTime() < deadline);
        if (sink == 42) System.out.print("");  // keeps the reads alive
        return reads;
    }

    /** Plans repeatedly for at least the given thread CPU time and at least {@code least} times; returns how many plans were made. */
    private static long run(PlanInput input, long cpuNanos, int least) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long plans = 0;
        long deadline = threads.getCurrentThreadCpuTime() + cpuNanos;
        int sink = 0;
        do {
            sink += ReplicationPlanner.plan(input).operations().size();
            plans++;
        } while (plans < least || threads.getCurrentThreadCpuTime() < deadline);
        if (sink < 0) throw new AssertionError();  // keeps the result alive
        return plans;
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
