package io.harperdb.replication.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.InstanceofCheck;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.client.UpdateNodeRequest;
import io.harperdb.replication.plan.PlannedOperation.AddNode;
import io.harperdb.replication.plan.PlannedOperation.ConfigureCluster;
import io.harperdb.replication.plan.PlannedOperation.DeleteNodeRecords;
import io.harperdb.replication.plan.PlannedOperation.DeleteRoutes;
import io.harperdb.replication.plan.PlannedOperation.RemoveNode;
import io.harperdb.replication.plan.PlannedOperation.RestartWorkers;
import io.harperdb.replication.plan.PlannedOperation.SetRoutes;
import io.harperdb.replication.plan.PlannedOperation.UpdateNode;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every place that treats the kinds of {@link PlannedOperation} differently handles all of them, checked
 * by the compiler: it implements {@link PlannedOperation.Visitor}, which has one method per kind, rather
 * than an {@code instanceof} chain that ends in a runtime "unknown operation".
 */
class PlannedOperationVisitorTest {
    private static final List<PlannedOperation> ONE_OF_EACH = List.of(
            new AddNode("a", AddNodeRequest.hostname("b")),
            new UpdateNode("a", new UpdateNodeRequest("b", List.of())),
            new RemoveNode("a", "b"),
            new DeleteNodeRecords("a", List.of("b")),
            new ConfigureCluster("a", List.of(AddNodeRequest.hostname("b"))),
            new SetRoutes("a", List.of(Route.of("b:9933"))),
            new DeleteRoutes("a", List.of(Route.of("b:9933"))),
            new RestartWorkers("a", "why"));

    @Test
    void theVisitorHasOneMethodPerKindOfOperation() {
        Set<String> kinds = leaves(PlannedOperation.class).stream().map(Class::getSimpleName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> visited = Arrays.stream(PlannedOperation.Visitor.class.getDeclaredMethods())
                .filter(m -> m.getParameterCount() == 1)
                .map(m -> m.getParameterTypes()[0].getSimpleName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(visited).isEqualTo(kinds);
        Set<String> sampled = ONE_OF_EACH.stream().map(op -> op.getClass().getSimpleName()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(sampled).isEqualTo(kinds);
    }

    @Test
    void eachOperationCallsTheMethodOfItsOwnKind() {
        for (PlannedOperation op : ONE_OF_EACH) {
            Method called = op.accept(recorder());
            assertThat(called.getParameterTypes()[0]).as(op.getClass().getSimpleName()).isEqualTo(op.getClass());
        }
    }

    @Test
    void onlyRouteEditsAreRouteEdits() {
        for (PlannedOperation op : ONE_OF_EACH) {
            boolean routes = op.getClass() == SetRoutes.class || op.getClass() == DeleteRoutes.class;
            assertThat(op.asRouteEdit()).as(op.getClass().getSimpleName()).isEqualTo(routes ? java.util.Optional.of(op) : java.util.Optional.empty());
        }
    }

    /** Fails on an instanceof test against PlannedOperation or a kind of it anywhere in the main code. */
    @Test
    void noMainClassTellsOperationsApartWithInstanceof() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.harperdb");
        List<String> chains = new ArrayList<>();
        main.forEach(c -> c.getCodeUnits().forEach(unit -> {
            for (InstanceofCheck check : unit.getInstanceofChecks()) {
                if (check.getRawType().isAssignableTo(PlannedOperation.class)) {
                    chains.add(check.getOwner().getFullName() + " (line " + check.getLineNumber() + "): instanceof " + check.getRawType().getSimpleName());
                }
            }
        }));
        assertThat(main.contain(PlannedOperation.class)).isTrue();
        assertThat(chains).as("use PlannedOperation.Visitor (or asRouteEdit) instead").isEmpty();
    }

    private static List<Class<?>> leaves(Class<?> sealed) {
        List<Class<?>> leaves = new ArrayList<>();
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            if (permitted.isSealed()) {
                leaves.addAll(leaves(permitted));
            } else {
                leaves.add(permitted);
            }
        }
        return leaves;
    }

    /** A visitor that answers which of its methods was called. */
    private static PlannedOperation.Visitor<Method> recorder() {
        @SuppressWarnings("unchecked")
        PlannedOperation.Visitor<Method> visitor = (PlannedOperation.Visitor<Method>) java.lang.reflect.Proxy.newProxyInstance(
                PlannedOperation.Visitor.class.getClassLoader(), new Class<?>[]{PlannedOperation.Visitor.class},
                (proxy, method, args) -> method);
        return visitor;
    }
}
