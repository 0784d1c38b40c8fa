package io.harperdb.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class (or method) against real HarperDB instances: a {@link HarperDbCluster}
 * parameter gets the first {@link #instances()} of them. A method's annotation overrides its
 * class's. {@code @ExtendWith(HarperDbExtension.class)} alone means the defaults.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(HarperDbExtension.class)
public @interface HarperDb {
  /** How many instances the test needs (1..9); more are started on demand. */
  int instances() default HarperDbFixture.DEFAULT_SIZE;

  /**
   * Before each test: start stopped instances, reset the topology and drop every database but
   * system ({@link HarperDbCluster#reset()}). Turn off for classes whose tests build on each other.
   */
  boolean resetBeforeEach() default true;
}
