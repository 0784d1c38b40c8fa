package io.harperdb.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives tests a {@link HarperDbCluster} parameter (test methods, lifecycle methods, constructors)
 * and, unless turned off with {@link HarperDb#resetBeforeEach()}, a clean cluster before each test.
 *
 * <p>The instances are started once per test run: the {@link HarperDbFixture} lives in the root
 * store, shared by every test class of the JVM, and the store closes it at the end of the run.
 * Test classes run in parallel (junit.jupiter.execution.parallel in the pom): a class using the
 * instances must be {@code @Isolated}, checked here, so that it runs alone: no other class uses the
 * instances, nor takes the CPUs that HarperDB needs to replicate within the tests' waits (two test
 * JVMs side by side let data lag past them, BENCHMARKS.md).
 */
public final class HarperDbExtension implements ParameterResolver, BeforeEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HarperDbExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == HarperDbCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    requireIsolated(context);
    return fixture(context).cluster(settings(context).map(HarperDb::instances).orElse(HarperDbFixture.DEFAULT_SIZE));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    requireIsolated(context);
    Optional<HarperDb> settings = settings(context);
    HarperDbCluster cluster = fixture(context).cluster(settings.map(HarperDb::instances).orElse(HarperDbFixture.DEFAULT_SIZE));
    if (settings.map(HarperDb::resetBeforeEach).orElse(true)) {
      cluster.reset();
    }
  }

  private static void requireIsolated(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      if (AnnotationSupport.isAnnotated(c, Isolated.class)) {
        return;
      }
    }
    throw new IllegalStateException(testClass.getName() + " uses the real HarperDB instances: it must be @Isolated,"
        + " so that no other test class runs at the same time");
  }

  /** The run's fixture, created on first use. */
  static HarperDbFixture fixture(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(HarperDbFixture.class, key -> new HarperDbFixture(), HarperDbFixture.class);
  }

  /** The nearest @HarperDb: on the method, else on the class (or an enclosing class). */
  private static Optional<HarperDb> settings(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<AnnotatedElement> element = c.get().getElement();
      if (element.isPresent()) {
        Optional<HarperDb> found = AnnotationSupport.findAnnotation(element.get(), HarperDb.class);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
