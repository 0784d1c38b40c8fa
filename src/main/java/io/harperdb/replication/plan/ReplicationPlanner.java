package io.harperdb.replication.plan;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.InvalidRequestException;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.client.UpdateNodeRequest;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.model.Subscription;
import io.harperdb.replication.plan.PlannedOperation.AddNode;
import io.harperdb.replication.plan.PlannedOperation.ConfigureCluster;
import io.harperdb.replication.plan.PlannedOperation.DeleteNodeRecords;
import io.harperdb.replication.plan.PlannedOperation.DeleteRoutes;
import io.harperdb.replication.plan.PlannedOperation.RemoveNode;
import io.harperdb.replication.plan.PlannedOperation.RestartWorkers;
import io.harperdb.replication.plan.PlannedOperation.SetRoutes;
import io.harperdb.replication.plan.PlannedOperation.UpdateNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;

/**
 * (observed cluster_status of every member, desired members) -> the ordered, minimal list of
 * Operations API calls that makes the observed replication topology the desired one.
 *
 * <p>Pure and deterministic: no I/O, members are visited in name order. The rules follow what real
 * HarperDB 4.7.29 does (docs/harperdb-notes): full members gossip membership, so one add_node per
 * newcomer suffices; a partial member's links are made one per peer; a member changing between full
 * and partial is detached (remove_node), its stale records on itself deleted, and re-linked.
 *
 * <p>Operation order: removals (leaving, strays, detached members), record deletions, bootstrap and
 * add_node, update_node, then routes. Only reachable desired members that are not leaving receive an
 * operation or are named by an add_node; the result is checked before it is returned, and a plan
 * breaking that is a bug ({@link IllegalStateException}).
 */
public final class ReplicationPlanner {

    private ReplicationPlanner() {
    }

    public static Plan plan(PlanInput input) {
        return new Run(Objects.requireNonNull(input, "input")).plan();
    }

    /**
     * Equal subscriptions: the same set of (database, table, subscribe, publish), order and duplicates aside.
     * Each list is searched for every entry of the other, by equals: the lists are a few entries long and this
     * is asked twice per partial link each poll, where hashing the entries into sets cost more than the search.
     */
    static boolean sameSubscriptions(List<Subscription> observed, List<Subscription> expected) {
        if (observed == null || observed.isEmpty()) {
            return expected.isEmpty();
        }
        if (inSameOrder(observed, expected)) return true;  // HarperDB keeps the order it was sent: the usual case
        return containsAll(expected, observed) && containsAll(observed, expected);
    }

    private static boolean inSameOrder(List<Subscription> a, List<Subscription> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0, n = a.size(); i < n; i++) {
            if (!Objects.equals(a.get(i), b.get(i))) return false;
        }
        return true;
    }

    private static boolean containsAll(List<Subscription> container, List<Subscription> entries) {
        for (int i = 0, n = entries.size(); i < n; i++) {
            Subscription entry = entries.get(i);
            boolean found = false;
            for (int j = 0, m = container.size(); j < m && !found; j++) {
                found = Objects.equals(entry, container.get(j));
            }
            if (!found) return false;
        }
        return true;
    }

    /**
     * Whether the planner links two members, given their own subscriptions (empty = full): two full
     * members always; a full and a partial one when the partial one subscribes to or publishes any
     * table; two partial ones when one publishes a table the other subscribes to. A link that carries
     * nothing is not made (rule 4), so it is not expected either.
     */
    public static boolean linkCarriesData(List<Subscription> a, List<Subscription> b) {
        boolean aFull = a == null || a.isEmpty();
        boolean bFull = b == null || b.isEmpty();
        if (aFull && bFull) return true;
        if (aFull || bFull) {
            for (Subscription s : aFull ? b : a) {
                if (s != null && (Boolean.TRUE.equals(s.subscribe()) || Boolean.TRUE.equals(s.publish()))) return true;
            }
            return false;
        }
        for (Subscription x : a) {
            for (Subscription y : b) {
                if (x == null || y == null || !Objects.equals(x.database(), y.database()) || !Objects.equals(x.table(), y.table())) continue;
                if ((yes(x.subscribe()) && yes(y.publish())) || (yes(x.publish()) && yes(y.subscribe()))) return true;
            }
        }
        return false;
    }

    /**
     * Whether a link between them carries something to {@code receiver}, given both members' own
     * subscriptions (empty = full): from a full member when the receiver is full or subscribes to a
     * table; to a full member when the sender publishes a table; between partial members when the
     * receiver subscribes to a table the sender publishes. {@code linkCarriesData(a, b)} is
     * {@code carriesTo(a, b) || carriesTo(b, a)}.
     */
    public static boolean carriesTo(List<Subscription> receiver, List<Subscription> sender) {
        boolean receiverFull = receiver == null || receiver.isEmpty();
        boolean senderFull = sender == null || sender.isEmpty();
        if (receiverFull && senderFull) return true;
        if (receiverFull || senderFull) {
            for (Subscription s : receiverFull ? sender : receiver) {
                if (s != null && (receiverFull ? yes(s.publish()) : yes(s.subscribe()))) return true;
            }
            return false;
        }
        for (Subscription r : receiver) {
            for (Subscription s : sender) {
                if (r == null || s == null || !Objects.equals(r.database(), s.database()) || !Objects.equals(r.table(), s.table())) continue;
                if (yes(r.subscribe()) && yes(s.publish())) return true;
            }
        }
        return false;
    }

    private static boolean yes(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    /** A record that replicates everything: {@code replicates: true} (older servers: no flag and no subscriptions). */
    static boolean isFullRecord(PeerConnection peer) {
        Boolean replicates = peer.replicates();
        return Boolean.TRUE.equals(replicates)
                || (replicates == null && (peer.subscriptions() == null || peer.subscriptions().isEmpty()));
    }

    private record TableKey(String database, String table) implements Comparable<TableKey> {
        private static final Comparator<TableKey> ORDER =
                Comparator.comparing(TableKey::database).thenComparing(TableKey::table);

        @Override
        public int compareTo(TableKey o) {
            return ORDER.compare(this, o);
        }
    }

    /** A component of full members linked both ways. */
    private record Component(List<Integer> members, boolean established) {
        int first() {
            return members.get(0);
        }

        boolean inMesh() {
            return members.size() >= 2 || established;
        }
    }

    /**
     * A member's partial records by peer index: sorted keys searched by bisection (no boxing, each poll looks up one
     * per (partial member, peer)); the last record of a peer wins; a removed one is null.
     */
    private static final class PartialRecords {
        static final PartialRecords NONE = new PartialRecords(0);
        private int[] keys;
        private PeerConnection[] values;
        private int size;
        private boolean sorted = true;

        /** {@code capacity}: how many records are expected (more are taken too, at the cost of a copy). */
        PartialRecords(int capacity) {
            keys = new int[capacity];
            values = new PeerConnection[capacity];
        }

        void put(int key, PeerConnection value) {
            if (size == keys.length) {
                int capacity = Math.max(8, size * 2);
                keys = Arrays.copyOf(keys, capacity);
                values = Arrays.copyOf(values, capacity);
            }
            if (size > 0 && keys[size - 1] >= key) sorted = false;
            keys[size] = key;
            values[size] = value;
            size++;
        }

        /** After the last put: sorted by key, one entry per key (the last put). */
        void seal() {
            if (sorted) return;
            long[] packed = new long[size];
            for (int i = 0; i < size; i++) packed[i] = ((long) keys[i] << 32) | i;
            Arrays.sort(packed);
            int[] k = new int[size];
            PeerConnection[] v = new PeerConnection[size];
            int m = 0;
            for (int i = 0; i < size; i++) {
                int key = (int) (packed[i] >>> 32);
                if (i + 1 < size && (int) (packed[i + 1] >>> 32) == key) continue;    // a later record of the same peer wins
                k[m] = key;
                v[m++] = values[(int) packed[i]];
            }
            keys = k;
            values = v;
            size = m;
            sorted = true;
        }

        PeerConnection get(int key) {
            int i = size == 0 ? -1 : Arrays.binarySearch(keys, 0, size, key);
            return i >= 0 ? values[i] : null;
        }

        void remove(int key) {
            int i = size == 0 ? -1 : Arrays.binarySearch(keys, 0, size, key);
            if (i >= 0) values[i] = null;
        }

        /** The peers with a record, in index order. */
        int[] keys() {
            int[] present = new int[size];
            int m = 0;
            for (int i = 0; i < size; i++) {
                if (values[i] != null) present[m++] = keys[i];
            }
            return m == size ? present : Arrays.copyOf(present, m);
        }
    }

    /** The view of a link between two partial members from the first, and the reverse from the second. */
    private record PairView(List<Subscription> view, List<Subscription> back, boolean carriesNothing) {
    }

    /** One planned link operation, sortable by (target, named). */
    private record Link(int target, int named, PlannedOperation operation) {
    }

    /** One planning pass; members are numbered by name order, so index order is name order. */
    private static final class Run {
        private final PlanInput input;
        private final Map<String, String> invalid = new TreeMap<>();
        private final Set<String> declared = new HashSet<>();
        private final Map<String, Integer> index = new HashMap<>();
        private String[] names;
        private DesiredMember[] members;
        private int n;
        private boolean[] partial;
        private int partialCount;
        private BitSet reachable;
        private List<Subscription>[] ownList;
        private List<Subscription>[] reversedList;
        private SortedMap<TableKey, Subscription>[] tables;
        // what each reachable member lists: any record, full records, partial records
        private BitSet[] listed;
        private BitSet[] fullListed;
        // the members each reachable member lists with every socket connected (its first record of each), for healing
        private BitSet[] connected;
        private PartialRecords[] partialRecords;
        // partial links whose records are as planned but that neither end shows connected: for healing
        private final List<Healing.Candidate> partialLinksDown = new ArrayList<>();
        private BitSet listsKeptStrayFully;
        // a partial member's full records of names outside the index that no removal of this plan takes away
        private Map<Integer, Set<String>> keptOthersListedFully;
        private final SortedMap<String, BitSet> leavingListers = new TreeMap<>();
        private final SortedMap<String, BitSet> strayListers = new TreeMap<>();
        // draining member -> the reachable members that list it without every socket connected: for healing
        private final SortedMap<String, BitSet> deafToDraining = new TreeMap<>();

        Run(PlanInput input) {
            this.input = input;
        }

        Plan plan() {
            selectMembers();
            scanObserved();

            List<PlannedOperation> removals = new ArrayList<>();
            BitSet detached = chooseDetached();
            planLeavingAndStrays(removals, detached);
            BitSet removed = new BitSet();
            planDetachRemovals(detached, removals, removed);
            List<PlannedOperation> recordDeletions = planRecordDeletions(detached, removed);
            forgetRemoved(removed);

            List<PlannedOperation> adds = new ArrayList<>();
            planFullMesh(adds);
            List<PlannedOperation> updates = new ArrayList<>();
            planPartialLinks(adds, updates);
            List<PlannedOperation> routes = new ArrayList<>();
            Set<String> routesPendingRestart = planRoutes(routes);

            List<PlannedOperation> operations = new ArrayList<>(
                    removals.size() + recordDeletions.size() + adds.size() + updates.size() + routes.size());
            operations.addAll(removals);
            operations.addAll(recordDeletions);
            operations.addAll(adds);
            operations.addAll(updates);
            operations.addAll(routes);
            List<LinkDown> linksDown = operations.isEmpty() ? planHealing(operations) : List.of();
            requireSendable(operations);

            Set<String> waitingFor = new TreeSet<>();
            Set<String> rejoining = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                if (!reachable.get(i)) waitingFor.add(names[i]);
                if (detached.get(i)) rejoining.add(names[i]);
            }
            return new Plan(Collections.unmodifiableList(operations),
                    Collections.unmodifiableSet(new TreeSet<>(strayListers.keySet())),
                    Collections.unmodifiableSet(waitingFor),
                    Collections.unmodifiableSet(routesPendingRestart),
                    Collections.unmodifiableSet(rejoining),
                    Collections.unmodifiableMap(invalid),
                    linksDown);
        }

        // ---- input ------------------------------------------------------------------------------

        /**
         * Keeps the valid, staying desired members, numbered in name order; the others go to {@code invalid}
         * (a name declared twice: neither is planned for). Names declared elsewhere are never strays.
         */
        @SuppressWarnings("unchecked")
        private void selectMembers() {
            Map<String, List<DesiredMember>> byName = new TreeMap<>();
            for (DesiredMember m : input.desired()) {
                String name = m.name() == null ? "" : m.name();
                declared.add(name);
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(m);
            }
            declared.addAll(input.leaving());
            declared.addAll(input.declaredElsewhere());
            declared.addAll(input.draining());
            List<DesiredMember> kept = new ArrayList<>();
            for (Map.Entry<String, List<DesiredMember>> e : byName.entrySet()) {
                if (input.leaving().contains(e.getKey())) continue;
                String problem = e.getValue().size() > 1 ? "declared " + e.getValue().size() + " times" : problem(e.getValue().get(0));
                if (problem == null) problem = reportsAnotherName(e.getValue().get(0));
                if (problem != null) {
                    invalid.put(e.getKey(), problem);
                } else {
                    kept.add(e.getValue().get(0));
                }
            }
            n = kept.size();
            names = new String[n];
            members = new DesiredMember[n];
            partial = new boolean[n];
            reachable = new BitSet(n);
            ownList = new List[n];
            reversedList = new List[n];
            tables = new SortedMap[n];
            for (int i = 0; i < n; i++) {
                DesiredMember m = kept.get(i);
                names[i] = m.name();
                members[i] = m;
                index.put(m.name(), i);
                ObservedMember seen = input.observed().get(m.name());
                if (seen != null && seen.status() != null) reachable.set(i);
                if (!m.isFullReplication()) {
                    partial[i] = true;
                    partialCount++;
                    List<Subscription> own = sorted(m.subscriptions());
                    List<Subscription> rev = own.stream().map(Subscription::reversed).toList();
                    ownList[i] = own;
                    reversedList[i] = rev;
                    SortedMap<TableKey, Subscription> t = new TreeMap<>();
                    for (Subscription s : own) t.put(new TableKey(s.database(), s.table()), s);
                    tables[i] = t;
                }
            }
        }

        private static String problem(DesiredMember m) {
            if (m.name() == null || m.name().isBlank()) return "has no name";
            if (m.connection() == null) return "has no connection";
            String identity = m.connection().identity();
            if (identity == null || identity.isBlank()) return "has neither hostname nor url";
            // HarperDB lists a node added by url under the url's host: that is the name to compare
            String nodeName = m.connection().nodeName();
            if (nodeName == null) return "has a url without a host: " + identity;
            if (!m.name().equals(nodeName)) return "is named " + m.name() + " but HarperDB names its connection " + nodeName;
            Set<TableKey> seen = new HashSet<>();
            for (Subscription s : m.subscriptions()) {
                if (s == null) return "has an empty subscription entry";
                String problems = s.problems();
                if (!problems.isEmpty()) return "has a " + problems;
                if (!seen.add(new TableKey(s.database(), s.table()))) {
                    return "subscribes to " + s.database() + "." + s.table() + " twice";
                }
            }
            return null;
        }

        /**
         * A member whose cluster_status names it otherwise is known to its peers by that name: adding it
         * under the declared one would repeat on every poll. Its reported name counts as declared (never
         * a stray). Url-only members too: 4.7.29 stores a node under the name it answers add_node with
         * (its own replication hostname), which is the url's host only when the two agree.
         */
        private String reportsAnotherName(DesiredMember m) {
            ObservedMember seen = input.observed().get(m.name());
            String reported = seen == null || seen.status() == null ? null : seen.status().nodeName();
            if (reported == null || reported.equals(m.name())) return null;
            declared.add(reported);
            return "reports node_name " + reported;
        }

        private static List<Subscription> sorted(List<Subscription> subscriptions) {
            List<Subscription> copy = new ArrayList<>(subscriptions);
            copy.sort(Comparator.comparing(Subscription::database).thenComparing(Subscription::table));
            return List.copyOf(copy);
        }

        /** Indexes what every reachable member lists; peers nobody declares become strays. */
        @SuppressWarnings("unchecked")
        private void scanObserved() {
            listed = new BitSet[n];
            fullListed = new BitSet[n];
            connected = new BitSet[n];
            partialRecords = new PartialRecords[n];
            listsKeptStrayFully = new BitSet(n);
            keptOthersListedFully = new HashMap<>();
            for (int i = 0; i < n; i++) {
                listed[i] = new BitSet(n);
                fullListed[i] = new BitSet(n);
                connected[i] = new BitSet(n);
                partialRecords[i] = PartialRecords.NONE;
            }
            for (int i = reachable.nextSetBit(0); i >= 0; i = reachable.nextSetBit(i + 1)) {
                ClusterStatus status = input.observed().get(names[i]).status();
                for (PeerConnection peer : status.peers()) {
                    String name = peer.name();
                    if (name == null || name.isBlank() || name.equals(names[i])) continue;
                    Integer j = index.get(name);
                    if (j != null) {
                        if (!listed[i].get(j) && peer.isConnected()) connected[i].set(j);
                        listed[i].set(j);
                        if (isFullRecord(peer)) {
                            fullListed[i].set(j);
                        } else {
                            if (partialRecords[i] == PartialRecords.NONE) {
                                // sized once: a partial member's records are all partial, a full member's are those of partial members
                                partialRecords[i] = new PartialRecords(partial[i] ? status.peers().size() : partialCount);
                            }
                            partialRecords[i].put(j, peer);
                        }
                    } else if (input.leaving().contains(name)) {
                        leavingListers.computeIfAbsent(name, k -> new BitSet(n)).set(i);
                    } else if (input.draining().contains(name)) {
                        // leaving once drained: nothing is planned about it meanwhile, but its writes must reach i
                        if (!peer.isConnected()) deafToDraining.computeIfAbsent(name, k -> new BitSet(n)).set(i);
                    } else {
                        boolean stray = !declared.contains(name);
                        if (stray) strayListers.computeIfAbsent(name, k -> new BitSet(n)).set(i);
                        boolean kept = !stray || !input.prunes(name);
                        if (kept && isFullRecord(peer)) {
                            if (stray) listsKeptStrayFully.set(i);
                            if (partial[i]) keptOthersListedFully.computeIfAbsent(i, k -> new TreeSet<>()).add(name);
                        }
                    }
                }
            }
            for (PartialRecords r : partialRecords) r.seal();
        }

        // ---- removals -----------------------------------------------------------------------------

        /**
         * Members to detach: a record of the wrong kind (full where the link must be partial, or the
         * reverse) can only be fixed by remove_node and re-adding (update_node keeps replicates: true).
         * A partial member must have no full record either way, of anyone that stays: it is detached
         * (the recipe verified on 4.7.29). Between two full members a partial record means one of them
         * was partial: each such pair is resolved by detaching the member in most such pairs, then by
         * name. A pair with an unreachable member waits for it, unless the reachable one is partial.
         */
        private BitSet chooseDetached() {
            BitSet detached = new BitSet(n);
            for (int i = reachable.nextSetBit(0); i >= 0; i = reachable.nextSetBit(i + 1)) {
                if (partial[i]) {
                    if (!fullListed[i].isEmpty() || keptOthersListedFully.containsKey(i)) detached.set(i);
                } else {
                    for (int j = fullListed[i].nextSetBit(0); j >= 0; j = fullListed[i].nextSetBit(j + 1)) {
                        if (partial[j] && reachable.get(j)) detached.set(j);
                    }
                }
            }
            BitSet[] wrong = new BitSet[n];
            for (int i = reachable.nextSetBit(0); i >= 0; i = reachable.nextSetBit(i + 1)) {
                if (partial[i]) continue;
                for (int j : partialRecords[i].keys()) {
                    if (!partial[j] && reachable.get(j)) markWrong(wrong, i, j);
                }
            }
            int[] count = new int[n];
            for (int i = 0; i < n; i++) {
                if (wrong[i] != null) count[i] = wrong[i].cardinality();
            }
            TreeSet<Integer> queue = new TreeSet<>(Comparator.<Integer>comparingInt(i -> -count[i]).thenComparingInt(i -> i));
            for (int i = 0; i < n; i++) {
                if (count[i] > 0) queue.add(i);
            }
            while (!queue.isEmpty()) {
                int x = queue.pollFirst();
                detached.set(x);
                for (int j = wrong[x].nextSetBit(0); j >= 0; j = wrong[x].nextSetBit(j + 1)) {
                    if (detached.get(j) || count[j] == 0) continue;
                    queue.remove(j);
                    count[j]--;
                    if (count[j] > 0) queue.add(j);
                }
            }
            return detached;
        }

        private void markWrong(BitSet[] wrong, int i, int j) {
            if (wrong[i] == null) wrong[i] = new BitSet(n);
            if (wrong[j] == null) wrong[j] = new BitSet(n);
            wrong[i].set(j);
            wrong[j].set(i);
        }

        /** One remove_node per leaving member and (when pruning) per stray, sent to one member listing it. */
        private void planLeavingAndStrays(List<PlannedOperation> removals, BitSet detached) {
            for (Map.Entry<String, BitSet> e : leavingListers.entrySet()) {
                removals.add(new RemoveNode(names[preferredLister(e.getValue(), detached)], e.getKey()));
            }
            for (Map.Entry<String, BitSet> e : strayListers.entrySet()) {
                if (input.prunes(e.getKey())) {
                    removals.add(new RemoveNode(names[preferredLister(e.getValue(), detached)], e.getKey()));
                }
            }
        }

        /** The first lister that stays linked, else the first one. */
        private static int preferredLister(BitSet listers, BitSet detached) {
            BitSet linked = (BitSet) listers.clone();
            linked.andNot(detached);
            return linked.isEmpty() ? listers.nextSetBit(0) : linked.nextSetBit(0);
        }

        /** remove_node of each detached member, sent to a member that lists it (none listing it: nothing to remove). */
        private void planDetachRemovals(BitSet detached, List<PlannedOperation> removals, BitSet removed) {
            for (int x = detached.nextSetBit(0); x >= 0; x = detached.nextSetBit(x + 1)) {
                BitSet listers = new BitSet(n);
                for (int k = reachable.nextSetBit(0); k >= 0; k = reachable.nextSetBit(k + 1)) {
                    if (k != x && listed[k].get(x)) listers.set(k);
                }
                if (!listers.isEmpty()) {
                    removals.add(new RemoveNode(names[preferredLister(listers, detached)], names[x]));
                    removed.set(x);
                }
            }
        }

        /**
         * The detached member's own records of the wrong kind, deleted on itself (remove_node leaves them,
         * and a re-add would merge into them). Records of nodes removed in this plan go with the removal;
         * a partial member's full records of strays and invalid declarations go too (they would keep it
         * in the full mesh).
         */
        private List<PlannedOperation> planRecordDeletions(BitSet detached, BitSet removed) {
            List<PlannedOperation> deletions = new ArrayList<>();
            for (int x = detached.nextSetBit(0); x >= 0; x = detached.nextSetBit(x + 1)) {
                BitSet ids = new BitSet(n);
                for (int j = fullListed[x].nextSetBit(0); j >= 0; j = fullListed[x].nextSetBit(j + 1)) {
                    if ((partial[x] || partial[j]) && !removed.get(j)) ids.set(j);
                }
                for (int j : partialRecords[x].keys()) {
                    if (!partial[x] && !partial[j] && !removed.get(j)) ids.set(j);
                }
                Set<String> idNames = new TreeSet<>(keptOthersListedFully.getOrDefault(x, Set.of()));
                for (int j = ids.nextSetBit(0); j >= 0; j = ids.nextSetBit(j + 1)) {
                    idNames.add(names[j]);
                    forget(x, j);
                }
                if (!idNames.isEmpty()) deletions.add(new DeleteNodeRecords(names[x], List.copyOf(idNames)));
            }
            return deletions;
        }

        /** From here on, the plan sees the state after its removals: nobody lists a removed member. */
        private void forgetRemoved(BitSet removed) {
            for (int x = removed.nextSetBit(0); x >= 0; x = removed.nextSetBit(x + 1)) {
                for (int k = reachable.nextSetBit(0); k >= 0; k = reachable.nextSetBit(k + 1)) {
                    if (k != x) forget(k, x);
                }
            }
        }

        private void forget(int holder, int peer) {
            listed[holder].clear(peer);
            fullListed[holder].clear(peer);
            partialRecords[holder].remove(peer);
        }

        // ---- adds and updates ---------------------------------------------------------------------

        /**
         * Full members: components of members listing each other with full records. When one is a mesh
         * (two or more members, or one that already has a full peer elsewhere), each other component is
         * joined to it by one add_node (membership gossips). With no mesh at all, one configure_cluster
         * to the first member lists all the others.
         */
        private void planFullMesh(List<PlannedOperation> adds) {
            int[] parent = new int[n];
            for (int i = 0; i < n; i++) parent[i] = i;
            BitSet full = new BitSet(n);
            for (int i = reachable.nextSetBit(0); i >= 0; i = reachable.nextSetBit(i + 1)) {
                if (!partial[i]) full.set(i);
            }
            for (int i = full.nextSetBit(0); i >= 0; i = full.nextSetBit(i + 1)) {
                for (int j = fullListed[i].nextSetBit(i + 1); j >= 0; j = fullListed[i].nextSetBit(j + 1)) {
                    if (full.get(j) && fullListed[j].get(i)) union(parent, i, j);
                }
            }
            BitSet unreachable = new BitSet(n);
            unreachable.set(0, n);
            unreachable.andNot(reachable);
            Map<Integer, List<Integer>> byRoot = new HashMap<>();
            List<List<Integer>> order = new ArrayList<>();
            for (int i = full.nextSetBit(0); i >= 0; i = full.nextSetBit(i + 1)) {
                List<Integer> members = byRoot.computeIfAbsent(find(parent, i), r -> {
                    List<Integer> list = new ArrayList<>();
                    order.add(list);
                    return list;
                });
                members.add(i);
            }
            List<Component> components = new ArrayList<>(order.size());
            for (List<Integer> members : order) {
                boolean established = false;
                for (int i : members) {
                    established |= listsKeptStrayFully.get(i) || fullListed[i].intersects(unreachable);
                }
                components.add(new Component(members, established));
            }
            Component main = null;
            for (Component c : components) {
                if (c.inMesh() && (main == null || c.members().size() > main.members().size())) main = c;
            }
            if (main != null) {
                for (Component c : components) {
                    if (c != main) adds.add(new AddNode(names[main.first()], fullConnection(c.first())));
                }
            } else if (components.size() >= 2) {
                List<AddNodeRequest> connections = new ArrayList<>(components.size() - 1);
                for (Component c : components.subList(1, components.size())) connections.add(fullConnection(c.first()));
                adds.add(new ConfigureCluster(names[components.get(0).first()], connections));
            }
        }

        private static int find(int[] parent, int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        private static void union(int[] parent, int a, int b) {
            int ra = find(parent, a);
            int rb = find(parent, b);
            if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }

        private AddNodeRequest fullConnection(int i) {
            return members[i].connection().withSubscriptions(null);
        }

        /**
         * Every pair of reachable members where at least one is partial gets its own link. A full target
         * is sent the partial member's subscriptions reversed (its view), as verified on 4.7.29; between
         * two partial members the first (by name) is the target, and the link carries a table one way
         * only when one side publishes it and the other subscribes to it. A link is judged from both
         * ends (the named member's cluster_status is the one that shows its sockets).
         */
        private void planPartialLinks(List<PlannedOperation> adds, List<PlannedOperation> updates) {
            List<Link> addLinks = new ArrayList<>();
            List<Link> updateLinks = new ArrayList<>();
            // partial members with the same subscriptions see a peer alike: each pair of kinds is worked out once
            Map<List<Subscription>, Integer> kinds = new HashMap<>();
            int[] kind = new int[n];
            for (int p = 0; p < n; p++) {
                if (partial[p]) kind[p] = kinds.computeIfAbsent(ownList[p], k -> kinds.size());
            }
            Map<Long, PairView> views = new HashMap<>();
            for (int p = reachable.nextSetBit(0); p >= 0; p = reachable.nextSetBit(p + 1)) {
                if (!partial[p]) continue;
                // what every full member's link with p carries, worked out once for all of them
                boolean toFullCarriesNothing = carriesNothing(reversedList[p]);
                for (int q = reachable.nextSetBit(0); q >= 0; q = reachable.nextSetBit(q + 1)) {
                    if (q == p) continue;
                    if (!partial[q]) {
                        link(q, p, reversedList[p], ownList[p], toFullCarriesNothing, addLinks, updateLinks);
                    } else if (p < q) {
                        int first = p;
                        int second = q;
                        PairView v = views.computeIfAbsent(((long) kind[p] << 32) | kind[q], k -> pairView(first, second));
                        link(p, q, v.view(), v.back(), v.carriesNothing(), addLinks, updateLinks);
                    }
                }
            }
            Comparator<Link> order = Comparator.comparingInt(Link::target).thenComparingInt(Link::named);
            addLinks.sort(order);
            updateLinks.sort(order);
            // one link call per target per round, the others in later rounds: on 4.7.29 two add_node calls
            // sent to one instance half a second apart left its own connections dead (an uncaught
            // certificate error, never retried), so it received nothing (docs/harperdb-compatibility.md
            // row 21). A target already sent configure_cluster or a full newcomer's add_node this round
            // waits too; full newcomers keep one add_node each (gossip spreads them).
            Set<String> busy = new HashSet<>();
            for (PlannedOperation op : adds) busy.add(op.target());
            for (Link l : addLinks) {
                if (busy.add(names[l.target()])) adds.add(l.operation());
            }
            for (Link l : updateLinks) {
                if (busy.add(names[l.target()])) updates.add(l.operation());
            }
        }

        /**
         * The link between {@code target} and {@code named}: {@code view} is what target's record of named must
         * hold, {@code back} what named's record of target must hold (both without duplicates).
         */
        private void link(int target, int named, List<Subscription> view, List<Subscription> back,
                          boolean viewCarriesNothing, List<Link> addLinks, List<Link> updateLinks) {
            PeerConnection there = partialRecords[target].get(named);
            PeerConnection backThere = partialRecords[named].get(target);
            boolean thereOk = there != null && sameSubscriptions(there.subscriptions(), view);
            boolean backOk = backThere != null && sameSubscriptions(backThere.subscriptions(), back);
            AddNodeRequest connection = members[named].connection();
            if (thereOk && backOk) {
                // made as planned: down when neither end shows it connected (a side that only sends has no
                // sockets, so a link carrying one way is judged by its receiving end)
                if (!viewCarriesNothing && !connected[target].get(named) && !connected[named].get(target)) {
                    partialLinksDown.add(new Healing.Candidate(names[target], names[named],
                            new AddNode(names[target], connection.withSubscriptions(view))));
                }
                return;
            }
            // a link that carries nothing is not made; a side that has one must still say so
            if (viewCarriesNothing && (there == null || thereOk) && (backThere == null || backOk)) return;
            if (there != null && backThere != null && !thereOk && !backOk) {
                // Both ends have a partial record and neither shows the new view: a change of an
                // existing link, sent as update_node (with the connection, as add_node has it). It
                // rewrites the named member's record, then the target's. If the next observation
                // shows the target's record new and the named member's not, it reached the target
                // only: it did not take, and the add_node below follows.
                updateLinks.add(new Link(target, named, new UpdateNode(names[target], UpdateNodeRequest.of(connection, view))));
                return;
            }
            // a new link (an end has no record), or an update_node that did not take (one end new,
            // the other not): add_node, an upsert that writes both ends
            addLinks.add(new Link(target, named, new AddNode(names[target], connection.withSubscriptions(view))));
        }

        /** Between two partial members, p's view, and q's (the reverse). */
        private PairView pairView(int p, int q) {
            List<Subscription> view = combined(p, q);
            return new PairView(view, view.stream().map(Subscription::reversed).toList(), carriesNothing(view));
        }

        /** Between two partial members, p's view: a table flows to p when p subscribes and q publishes it. */
        private List<Subscription> combined(int p, int q) {
            SortedMap<TableKey, Subscription> mine = tables[p];
            SortedMap<TableKey, Subscription> theirs = tables[q];
            TreeSet<TableKey> keys = new TreeSet<>(mine.keySet());
            keys.addAll(theirs.keySet());
            List<Subscription> view = new ArrayList<>(keys.size());
            for (TableKey k : keys) {
                Subscription a = mine.get(k);
                Subscription b = theirs.get(k);
                boolean subscribe = a != null && b != null && a.subscribe() && b.publish();
                boolean publish = a != null && b != null && a.publish() && b.subscribe();
                view.add(Subscription.of(k.database(), k.table(), subscribe, publish));
            }
            return List.copyOf(view);
        }

        private static boolean carriesNothing(List<Subscription> view) {
            for (Subscription s : view) {
                if (s.subscribe() || s.publish()) return false;
            }
            return true;
        }

        // ---- routes -------------------------------------------------------------------------------

        /**
         * Routes of each reachable member: at most one edit per member (see {@link RouteEdits}), none
         * when its config already holds the desired routes or the edit waits for a restart.
         */
        private Set<String> planRoutes(List<PlannedOperation> operations) {
            Set<Route> desired = new LinkedHashSet<>(input.desiredRoutes());
            Set<String> pendingRestart = new TreeSet<>();
            for (int i = reachable.nextSetBit(0); i >= 0; i = reachable.nextSetBit(i + 1)) {
                ObservedMember seen = input.observed().get(names[i]);
                PlannedOperation edit = RouteEdits.next(names[i], seen.loadedRoutes(), seen.writtenRoutes(), input.desiredRoutes());
                if (edit != null) {
                    operations.add(edit);
                }
                if (seen.loadedRoutes() != null && !new HashSet<>(seen.loadedRoutes()).equals(desired)) {
                    pendingRestart.add(names[i]);
                }
            }
            return pendingRestart;
        }

        // ---- healing ------------------------------------------------------------------------------

        /**
         * Only when nothing else is to be done (other operations change the links anyway): links between
         * reachable full members, and partial links made as planned, that stay down get an add_node by
         * {@link Healing}'s time rules. Returns the links down, with since when, for the next round.
         */
        private List<LinkDown> planHealing(List<PlannedOperation> operations) {
            if (input.now() == null) return List.of();
            BitSet full = new BitSet(n);
            for (int i = reachable.nextSetBit(0); i >= 0; i = reachable.nextSetBit(i + 1)) {
                if (!partial[i]) full.set(i);
            }
            List<Healing.Candidate> candidates = new ArrayList<>();
            for (int x = full.nextSetBit(0); x >= 0; x = full.nextSetBit(x + 1)) {
                // only the members x does not receive from are looked at: idle clusters have none
                BitSet deafTo = (BitSet) full.clone();
                deafTo.clear(x);
                deafTo.andNot(connected[x]);
                for (int y = deafTo.nextSetBit(0); y >= 0; y = deafTo.nextSetBit(y + 1)) {
                    if (!connected[y].get(x)) {
                        // neither end connected: one candidate for the pair, add_node to the first by name
                        if (x < y) candidates.add(new Healing.Candidate(names[x], names[y], new AddNode(names[x], fullConnection(y)),
                                null, untrusted(x, y)));
                    } else {
                        // x receives nothing from y while y receives from x: x's own connection is down
                        candidates.add(new Healing.Candidate(names[x], names[y], new AddNode(names[x], fullConnection(y)), names[x],
                                untrusted(x, y)));
                    }
                }
            }
            candidates.addAll(partialLinksDown);
            candidates.addAll(deafToDrainingMembers(full));
            Healing.Result healing = Healing.plan(input, candidates);
            operations.addAll(healing.operations());
            return healing.linksDown();
        }

        /** Whether either end holds, for the other, a CA that did not issue the certificate the other serves. */
        private boolean untrusted(int x, int y) {
            return holdsAnotherCa(x, y) || holdsAnotherCa(y, x);
        }

        /**
         * The CA {@code holder} reports for {@code peer} is known and is not the issuer of the certificate {@code peer}
         * served on its last answer: {@code peer}'s certificate came from a new CA since add_node last exchanged them.
         * Unknown on either side: false.
         */
        private boolean holdsAnotherCa(int holder, int peer) {
            X500Principal issuer = input.observed().get(names[peer]).certificateIssuer();
            if (issuer == null) return false;
            return input.observed().get(names[holder]).status().peer(names[peer])
                    .map(PeerConnection::caInfo)
                    .flatMap(ca -> ca.isNamed(issuer))
                    .map(named -> !named)
                    .orElse(false);
        }

        /**
         * A full member that receives nothing from a draining member while the draining member receives from it:
         * the drain waits for that connection, which add_node cannot renew (nothing is added about a leaving
         * member); a candidate for the restart of its workers only.
         */
        private List<Healing.Candidate> deafToDrainingMembers(BitSet full) {
            List<Healing.Candidate> candidates = new ArrayList<>();
            deafToDraining.forEach((draining, listers) -> {
                ObservedMember observed = input.observed().get(draining);
                if (observed == null || !observed.isReachable() || observed.status() == null) return;
                for (int i = listers.nextSetBit(0); i >= 0; i = listers.nextSetBit(i + 1)) {
                    String member = names[i];
                    boolean drainingReceives = observed.status().peer(member).map(PeerConnection::isConnected).orElse(false);
                    if (full.get(i) && drainingReceives) {
                        candidates.add(new Healing.Candidate(member, draining, null, member));
                    }
                }
            });
            return candidates;
        }

        // ---- the final check -----------------------------------------------------------------------

        /** Nothing leaves the planner that lacks an identity or goes to a member that cannot take it. */
        private void requireSendable(List<PlannedOperation> operations) {
            for (PlannedOperation op : operations) {
                String problem = problemOf(op);
                if (problem != null) {
                    throw new IllegalStateException("planner bug: " + problem + " in " + op);
                }
            }
        }

        private boolean isTarget(String name) {
            Integer i = name == null ? null : index.get(name);
            return i != null && reachable.get(i);
        }

        private String problemOf(PlannedOperation op) {
            if (!isTarget(op.target())) return "target is not a reachable desired member";
            try {
                return op.accept(new PlannedOperation.Visitor<String>() {
                    @Override
                    public String addNode(AddNode a) {
                        return namedProblem(op.target(), a.request().validated().nodeName());
                    }

                    @Override
                    public String configureCluster(ConfigureCluster c) {
                        if (c.connections().isEmpty()) return "no connections";
                        for (AddNodeRequest r : c.connections()) {
                            String problem = namedProblem(op.target(), r.validated().nodeName());
                            if (problem != null) return problem;
                        }
                        return null;
                    }

                    @Override
                    public String updateNode(UpdateNode u) {
                        return namedProblem(op.target(), u.request().validated().hostname());
                    }

                    @Override
                    public String removeNode(RemoveNode r) {
                        if (r.hostname() == null || r.hostname().isBlank()) return "no hostname";
                        return r.hostname().equals(op.target()) ? "a node removing itself" : null;
                    }

                    @Override
                    public String deleteNodeRecords(DeleteNodeRecords d) {
                        if (d.ids().isEmpty()) return "no ids";
                        for (String id : d.ids()) {
                            if (id == null || id.isBlank() || id.equals(op.target())) return "bad id " + id;
                        }
                        return null;
                    }

                    @Override
                    public String setRoutes(SetRoutes s) {
                        return s.routes().isEmpty() ? "no routes" : null;
                    }

                    @Override
                    public String deleteRoutes(DeleteRoutes d) {
                        return d.routes().isEmpty() ? "no routes" : null;
                    }

                    @Override
                    public String restartWorkers(RestartWorkers r) {
                        return null;
                    }
                });
            } catch (InvalidRequestException e) {
                return e.getMessage();
            }
        }

        private String namedProblem(String target, String named) {
            if (named == null || named.isBlank()) return "no identity";
            if (named.equals(target)) return "a node naming itself";
            return isTarget(named) ? null : "names " + named + ", not a reachable desired member";
        }
    }
}
