package io.harperdb.operator.cli;

import io.fabric8.kubernetes.api.model.Condition;
import io.harperdb.operator.api.ConnectionStatus;
import io.harperdb.operator.api.ConnectionSummary;
import io.harperdb.operator.api.DatabaseSocketStatus;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.MemberStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.reconciler.Annotations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code kubectl harper status} prints, from the HarperCluster's status alone (pure): phase and versions, the
 * conditions, the mesh as a matrix of members by peers, and the routes that wait for a restart.
 *
 * <p>A cell is {@code ok} when every database socket of the link is connected, {@code DOWN} when none is,
 * {@code part} otherwise, followed by the highest back pressure of its sockets ({@code bp 12%}) when HarperDB reports
 * one, and {@code copy} while one receives an initial copy ("Receiving"). Latency is not in the status: it is the
 * sidecar's metric {@code harperdb_replication_latency_seconds}.
 */
public final class StatusReport {

    private StatusReport() {
    }

    public static String render(HarperCluster cluster) {
        StringBuilder out = new StringBuilder();
        HarperClusterStatus status = cluster.getStatus();
        out.append("HarperCluster ").append(cluster.getMetadata().getNamespace()).append('/').append(cluster.getMetadata().getName());
        if (status == null) {
            return out.append(": no status yet (the operator has not reconciled it)\n").toString();
        }
        out.append("  phase ").append(phase(status.getPhase())).append("  ready ").append(orDash(status.getReadyMembers()))
                .append("  version ").append(orDash(status.getVersion())).append('\n');
        if (annotation(cluster, Annotations.PAUSE) != null) {
            out.append("paused: harperdb.io/pause-reconciliation=").append(annotation(cluster, Annotations.PAUSE)).append('\n');
        }

        out.append("\nConditions:\n");
        List<List<String>> conditions = new ArrayList<>();
        conditions.add(List.of("TYPE", "STATUS", "REASON", "MESSAGE"));
        for (Condition c : orEmpty(status.getConditions())) {
            conditions.add(List.of(orDash(c.getType()), orDash(c.getStatus()), orDash(c.getReason()), orDash(c.getMessage())));
        }
        table(out, conditions);

        out.append("\nMesh (row: member, column: peer; ok/part/DOWN, bp = back pressure, copy = initial copy):\n");
        mesh(out, orEmpty(status.getMembers()));

        List<String> pending = orEmpty(status.getRoutesPendingRestart());
        out.append("\nRoutes pending restart: ").append(pending.isEmpty() ? "none" : String.join(", ", pending)
                + " (kubectl harper restart " + cluster.getMetadata().getName() + " applies them)").append('\n');
        return out.toString();
    }

    private static void mesh(StringBuilder out, List<MemberStatus> members) {
        if (members.isEmpty()) {
            out.append("  no members\n");
            return;
        }
        List<String> names = members.stream().map(MemberStatus::getName).toList();
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("MEMBER", "VERSION"));
        header.addAll(names);
        rows.add(header);
        for (MemberStatus member : members) {
            List<String> row = new ArrayList<>(List.of(member.getName(), orDash(member.getVersion())));
            Map<String, ConnectionStatus> byPeer = new LinkedHashMap<>();
            orEmpty(member.getConnections()).forEach(c -> byPeer.put(c.getName(), c));
            for (String peer : names) {
                if (peer.equals(member.getName())) {
                    row.add("-");
                } else if (Boolean.FALSE.equals(member.getReachable())) {
                    row.add("unreachable");
                } else if (member.getConnections() == null) {
                    row.add(summarized(member.getConnectionSummary(), peer));
                } else {
                    row.add(cell(byPeer.get(peer)));
                }
            }
            rows.add(row);
        }
        table(out, rows);
        for (MemberStatus member : members) {
            if (member.getConnections() == null && member.getConnectionSummary() != null) {
                out.append("  ").append(member.getName()).append(": ").append(member.getConnectionSummary().getConnected())
                        .append(" connected, ").append(member.getConnectionSummary().getNotConnected())
                        .append(" not (large cluster: status lists no links)\n");
            }
        }
    }

    /** A link of a large cluster's member: the summary names at most 5 peers not connected, so past that it cannot tell. */
    static String summarized(ConnectionSummary summary, String peer) {
        if (summary == null) {
            return "?";
        }
        List<String> down = orEmpty(summary.getNotConnectedPeers());
        if (down.contains(peer)) {
            return "DOWN";
        }
        return summary.getNotConnected() != null && down.size() >= summary.getNotConnected() ? "ok" : "?";
    }

    /** One link as seen from its member. */
    static String cell(ConnectionStatus link) {
        if (link == null) {
            return "none";
        }
        List<DatabaseSocketStatus> sockets = orEmpty(link.getDatabases());
        long up = sockets.stream().filter(s -> Boolean.TRUE.equals(s.getConnected())).count();
        String state = sockets.isEmpty() ? (Boolean.TRUE.equals(link.getConnected()) ? "ok" : "DOWN")
                : up == sockets.size() ? "ok" : up == 0 ? "DOWN" : "part";
        StringBuilder cell = new StringBuilder(state);
        sockets.stream().map(DatabaseSocketStatus::getBackPressurePercent).filter(Objects::nonNull).max(Double::compare)
                .filter(bp -> bp > 0).ifPresent(bp -> cell.append(" bp ").append(Math.round(bp)).append('%'));
        if (sockets.stream().anyMatch(s -> "Receiving".equals(s.getLastReceivedStatus()))) {
            cell.append(" copy");
        }
        return cell.toString();
    }

    private static void table(StringBuilder out, List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** As kubectl shows it: the JSON name (Degraded), not the constant's (DEGRADED). */
    private static String phase(Phase phase) {
        if (phase == null) {
            return "-";
        }
        String name = phase.name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private static String annotation(HarperCluster cluster, String key) {
        return cluster.getMetadata().getAnnotations() == null ? null : cluster.getMetadata().getAnnotations().get(key);
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
