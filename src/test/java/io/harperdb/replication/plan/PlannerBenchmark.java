package io.harperdb.replication.plan;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.client.Route;
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
            }
        }
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
        return DesiredMember.partial(connection, List.of(
                Subscription.of("data", "dog", true, variant == 0),
                Subscription.of("data", "cat", false, true)));
    }
}
