package io.harperdb.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/design.md, checked on the compiled main classes: the replication library knows
 * nothing of Kubernetes or of the operator (the sidecar runs it without either), and the resource
 * builders of the operator are pure (they build objects; the reconcilers send them).
 */
class LayeringTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.harperdb");
    }

    @Test
    void theReplicationLibraryKnowsNoKubernetesNorTheOperator() {
        ArchRule rule = noClasses().that().resideInAPackage("io.harperdb.replication..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "io.harperdb.operator..")
                .because("the replication library and its sidecar run without Kubernetes (docs/design.md, Layout)");
        rule.check(main);
    }

    @Test
    void theResourceBuildersAreNotReconcilers() {
        ArchRule rule = noClasses().that().resideInAPackage("io.harperdb.operator.resources..")
                .should().dependOnClassesThat().resideInAnyPackage("io.harperdb.operator.reconciler..", "io.javaoperatorsdk..")
                .because("io.harperdb.operator.resources holds pure builders of the desired objects");
        rule.check(main);
    }

    @Test
    void theResourceBuildersDoNotTalkToTheApiServer() {
        // The client's model and its serialization helpers (client.utils) are fine; the client, its DSL,
        // informers and HTTP layer are not.
        ArchRule rule = noClasses().that().resideInAPackage("io.harperdb.operator.resources..")
                .should().dependOnClassesThat(resideInAPackage("io.fabric8.kubernetes.client..")
                        .and(not(resideInAPackage("io.fabric8.kubernetes.client.utils.."))))
                .because("io.harperdb.operator.resources builds objects; the reconcilers send them with the KubernetesClient");
        rule.check(main);
    }

    /** The rules above do catch a violation (a rule over an empty or wrong package would pass vacuously). */
    @Test
    void theRulesSeeTheClassesTheyJudge() {
        org.assertj.core.api.Assertions.assertThat(main.containPackage("io.harperdb.replication.plan")).isTrue();
        org.assertj.core.api.Assertions.assertThat(main.containPackage("io.harperdb.operator.resources")).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> noClasses().that().resideInAPackage("io.harperdb.operator.reconciler..")
                        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..").check(main))
                .isInstanceOf(AssertionError.class);
    }
}
