package io.harperdb.replication.plan;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.model.Subscription;
import io.harperdb.replication.plan.PlannedOperation.AddNode;
import io.harperdb.replication.plan.PlannedOperation.ConfigureCluster;
import io.harperdb.replication.plan.PlannedOperation.DeleteNodeRecords;
import io.harperdb.replication.plan.PlannedOperation.DeleteRoutes;
import io.harperdb.replication.plan.PlannedOperation.RemoveNode;
import io.harperdb.replication.plan.PlannedOperation.SetRoutes;
import io.harperdb.replication.plan.PlannedOperation.UpdateNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory model of HarperDB 4.7 replication membership, as the notes describe it:
 * <ul>
 * <li>each node holds records of its peers ({@code system.hdb_nodes}); cluster_status lists them;</li>
 * <li>add_node on T naming X writes T's record of X and X's record of T (reversed subscriptions); when
 * X already has a full record of T, the subscriptions are merged into it and it stays full;</li>
 * <li>full records gossip: nodes linked by full records both ways form a mesh in which everyone has a
 * full record of everyone;</li>
 * <li>update_node is add_node's code: it writes both ends, and keeps {@code replicates: true} of a full
 * record; optionally ({@link #updateNodeMissesNamed}) it reaches the target only;</li>
 * <li>remove_node deletes the named node's record on every node but itself; X keeps its own records;</li>
 * <li>optionally ("leaky"), partial records spread through a mesh as the system database replicates,
 * without X knowing the other mesh members: a planner must judge links from both ends.</li>
 * </ul>
 * It is strict: an operation HarperDB would refuse or break on fails the test (sent to an unreachable
 * node, naming one, removing a node that is not listed, deleting an absent record).
 */
final class FakeHarper {

    record Rec(boolean replicates, List<Subscription> subscriptions) {
        static final Rec FULL = new Rec(true, null);

        static Rec partial(List<Subscription> subscriptions) {
            return new Rec(false, List.copyOf(subscriptions));
        }
    }

    static final class Node {
        final String name;
        boolean reachable = true;
        final TreeMap<String, Rec> records = new TreeMap<>();
        List<Route> loaded;                 // cluster_get_routes; null = unknown
        List<Route> config = new ArrayList<>();
        List<Route> written;                // what the operator recorded having written; null = never

        Node(String name) {
            this.name = name;
        }
    }

    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final Map<String, PeerConnection> linkTo = new HashMap<>();
    private final boolean leaky;
    /** Gossip after every operation (else after full adds and at the end of a plan: gossip is asynchronous). */
    boolean eagerGossip = true;
    /**
     * update_node's call to the named node fails (4.7.29 then still rewrites the target's record):
     * what the planner must tell on the next round, and mend with add_node.
     */
    boolean updateNodeMissesNamed;
    /** update_node calls applied so far. */
    int updateNodes;

    FakeHarper(boolean leaky) {
        this.leaky = leaky;
    }

    FakeHarper() {
        this(false);
    }

    boolean isLeaky() {
        return leaky;
    }

    Node node(String name) {
        return nodes.computeIfAbsent(name, Node::new);
    }

    boolean has(String name) {
        return nodes.containsKey(name);
    }

    Collection<Node> nodes() {
        return nodes.values();
    }

    FakeHarper unreachable(String... names) {
        for (String name : names) node(name).reachable = false;
        return this;
    }

    /** A mesh of full members, as after bootstrap. */
    FakeHarper mesh(String... names) {
        for (String a : names) {
            node(a);
            for (String b : names) {
                if (!a.equals(b)) node(a).records.put(b, Rec.FULL);
            }
        }
        return this;
    }

    /** One record, as it is on the holder (no gossip). */
    FakeHarper record(String holder, String peer, Rec rec) {
        node(holder).records.put(peer, rec);
        node(peer);
        return this;
    }

    /** A partial link: {@code holder} has {@code view}, the peer the reverse. */
    FakeHarper partialLink(String holder, String peer, List<Subscription> view) {
        node(holder).records.put(peer, Rec.partial(view));
        node(peer).records.put(holder, Rec.partial(view.stream().map(Subscription::reversed).toList()));
        return this;
    }

    /** The topology a set of desired members should end in: what a correct plan converges to. */
    FakeHarper converged(List<DesiredMember> desired, List<Route> routes) {
        for (DesiredMember a : desired) {
            Node na = node(a.name());
            na.loaded = List.copyOf(routes);
            na.config = new ArrayList<>(routes);
            na.written = List.copyOf(routes);
            for (DesiredMember b : desired) {
                if (a == b) continue;
                List<Subscription> view = expectedView(a, b);
                if (view == null) {
                    na.records.put(b.name(), Rec.FULL);
                } else if (!carriesNothing(view)) {
                    na.records.put(b.name(), Rec.partial(view));
                }
            }
        }
        return this;
    }

    /**
     * a's view of its link with b, written independently of the planner: null = full replication;
     * a partial member's own subscriptions against a full peer; between two partial members a table
     * flows towards the side that subscribes when the other publishes.
     */
    static List<Subscription> expectedView(DesiredMember a, DesiredMember b) {
        if (a.isFullReplication() && b.isFullReplication()) return null;
        if (b.isFullReplication()) return a.subscriptions();
        if (a.isFullReplication()) return b.subscriptions().stream().map(Subscription::reversed).toList();
        Map<String, Subscription> mine = new TreeMap<>();
        for (Subscription s : a.subscriptions()) mine.put(s.database() + "." + s.table(), s);
        Map<String, Subscription> theirs = new TreeMap<>();
        for (Subscription s : b.subscriptions()) theirs.put(s.database() + "." + s.table(), s);
        Set<String> keys = new TreeSet<>(mine.keySet());
        keys.addAll(theirs.keySet());
        List<Subscription> view = new ArrayList<>();
        for (String k : keys) {
            Subscription x = mine.get(k);
            Subscription y = theirs.get(k);
            Subscription any = x != null ? x : y;
            view.add(Subscription.of(any.database(), any.table(),
                    x != null && y != null && x.subscribe() && y.publish(),
                    x != null && y != null && x.publish() && y.subscribe()));
        }
        return view;
    }

    static boolean carriesNothing(List<Subscription> view) {
        return view.stream().noneMatch(s -> s.subscribe() || s.publish());
    }

    // ---- observation ------------------------------------------------------------------------------

    ObservedMember observe(String name) {
        Node node = nodes.get(name);
        if (node == null || !node.reachable) return ObservedMember.unreachable(name);
        List<PeerConnection> peers = new ArrayList<>(node.records.size());
        // one url and one socket list per peer, shared by every record of it (immutable): large meshes fit in memory
        node.records.forEach((peer, rec) -> {
            PeerConnection shared = linkTo.computeIfAbsent(peer, p -> new PeerConnection(p, "wss://" + p + ":9933", true, null,
                    List.of(new DatabaseSocket("data", true, 0.5, 1, List.of(p), null, null, null, null, null, 0.0, "Waiting"))));
            peers.add(new PeerConnection(peer, shared.url(), rec.replicates(), rec.subscriptions(), shared.databaseSockets()));
        });
        ClusterStatus status = new ClusterStatus(name, "wss://" + name + ":9933", true, peers);
        return new ObservedMember(name, status, node.loaded, node.written);
    }

    Map<String, ObservedMember> observeAll() {
        Map<String, ObservedMember> all = new HashMap<>();
        for (String name : nodes.keySet()) all.put(name, observe(name));
        return all;
    }

    PlanInput input(List<DesiredMember> desired, Set<String> leaving, List<Route> routes, boolean prune) {
        return new PlanInput(desired, observeAll(), leaving, routes, prune);
    }

    // ---- operations ---------------------------------------------------------------------------------

    void apply(Plan plan) {
        for (PlannedOperation op : plan.operations()) apply(op);
        gossip();
    }

    void apply(PlannedOperation op) {
        Node target = reachableNode(op.target(), "sent to");
        if (op instanceof AddNode a) {
            add(target, a.request());
        } else if (op instanceof ConfigureCluster c) {
            for (AddNodeRequest r : c.connections()) add(target, r);
        } else if (op instanceof UpdateNode u) {
            // 4.7.29 runs add_node's code: the named node rewrites its record (reversed), then the
            // target its own; a full record stays full (seen: replicates stays true, data flows both
            // ways). When the call to the named node fails, only the target's record changes.
            Node named = reachableNode(u.request().hostname(), "update_node naming");
            if (named == target) throw new AssertionError("update_node of " + target.name + " naming itself");
            link(target, named, u.request().subscriptions(), !updateNodeMissesNamed);
            updateNodes++;
        } else if (op instanceof RemoveNode r) {
            if (!target.records.containsKey(r.hostname())) {
                throw new AssertionError("400 '" + r.hostname() + " does not exist' on " + target.name + ": " + op);
            }
            for (Node node : nodes.values()) {
                if (!node.name.equals(r.hostname())) node.records.remove(r.hostname());
            }
        } else if (op instanceof DeleteNodeRecords d) {
            for (String id : d.ids()) {
                if (target.records.remove(id) == null) {
                    throw new AssertionError("record " + id + " absent on " + target.name + ": " + op);
                }
            }
        } else if (op instanceof PlannedOperation.RouteEdit edit) {
            // As 4.7.29 does: the edit starts from the loaded routes, not from the file.
            target.config = new ArrayList<>(RouteEdits.configAfter(target.loaded, edit));
            target.written = List.copyOf(target.config);
        } else if (op instanceof PlannedOperation.RestartWorkers) {
            // new workers connect anew; the records stay as they are
        } else {
            throw new AssertionError("unknown operation " + op);
        }
        boolean addsFullRecords = op instanceof ConfigureCluster
                || (op instanceof AddNode a && (a.request().subscriptions() == null || a.request().subscriptions().isEmpty()));
        if (eagerGossip || addsFullRecords) gossip();
    }

    /**
     * What the operator records having written: its previous record (or, never written, the loaded
     * routes) with the change applied. The config itself may hold routes it never saw.
     */
    private static List<Route> operatorsView(Node node) {
        return new ArrayList<>(node.written != null ? node.written : node.loaded != null ? node.loaded : List.of());
    }

    /** A restart loads the config's routes. */
    void restart(String name) {
        Node node = nodes.get(name);
        node.loaded = List.copyOf(node.config);
    }

    private Node reachableNode(String name, String what) {
        if (name == null || name.isBlank()) throw new AssertionError(what + " a node without identity (HarperDB stores 'undefined')");
        Node node = nodes.get(name);
        if (node == null || !node.reachable) throw new AssertionError(what + " unreachable node " + name + " (HTTP 500)");
        return node;
    }

    private void add(Node target, AddNodeRequest request) {
        // 4.7.29 names a node added by url by its host
        Node named = reachableNode(request.nodeName(), "add_node naming");
        if (named == target) throw new AssertionError("add_node of " + target.name + " naming itself");
        List<Subscription> subs = request.subscriptions();
        if (subs == null || subs.isEmpty()) {
            target.records.put(named.name, Rec.FULL);
            named.records.put(target.name, Rec.FULL);
        } else {
            link(target, named, subs);
        }
    }

    private void link(Node target, Node named, List<Subscription> view) {
        link(target, named, view, true);
    }

    private void link(Node target, Node named, List<Subscription> view, boolean namedToo) {
        if (namedToo) {
            List<Subscription> back = view.stream().map(Subscription::reversed).toList();
            named.records.put(target.name, merged(named.records.get(target.name), back));
        }
        target.records.put(named.name, merged(target.records.get(named.name), view));
    }

    /** Seen on 4.7.29: subscriptions written over a full record are stored, and it stays full. */
    private static Rec merged(Rec existing, List<Subscription> subscriptions) {
        return existing != null && existing.replicates() ? new Rec(true, List.copyOf(subscriptions)) : Rec.partial(subscriptions);
    }

    /** Lets gossip run, as it has before anyone observes a real cluster. */
    FakeHarper settle() {
        gossip();
        return this;
    }

    /** Full records spread through each mesh (and, when leaky, partial records of outsiders too). */
    private void gossip() {
        List<Node> all = new ArrayList<>(nodes.values());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < all.size(); i++) index.put(all.get(i).name, i);
        int[] parent = new int[all.size()];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        for (int i = 0; i < all.size(); i++) {
            Node a = all.get(i);
            for (Map.Entry<String, Rec> e : a.records.entrySet()) {
                Integer j = index.get(e.getKey());
                if (j == null || !e.getValue().replicates()) continue;
                Rec back = all.get(j).records.get(a.name);
                if (back != null && back.replicates()) union(parent, i, j);
            }
        }
        Map<Integer, List<Node>> components = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) components.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(all.get(i));
        for (List<Node> component : components.values()) {
            if (component.size() < 2) continue;
            Set<String> inside = new HashSet<>();
            for (Node node : component) inside.add(node.name);
            for (Node a : component) {
                for (Node b : component) {
                    if (a == b) continue;
                    Rec rec = a.records.get(b.name);
                    if (rec == null || !rec.replicates()) a.records.put(b.name, Rec.FULL);
                }
            }
            if (leaky) {
                Map<String, Rec> outsiders = new TreeMap<>();
                for (Node a : component) {
                    a.records.forEach((peer, rec) -> {
                        if (!inside.contains(peer) && !rec.replicates()) outsiders.putIfAbsent(peer, rec);
                    });
                }
                for (Node a : component) {
                    outsiders.forEach((peer, rec) -> {
                        if (!peer.equals(a.name)) a.records.putIfAbsent(peer, rec);
                    });
                }
            }
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
}
