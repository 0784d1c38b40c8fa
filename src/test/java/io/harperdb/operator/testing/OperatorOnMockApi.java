package io.harperdb.operator.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh mock API server and the operator on it for each test ({@code @RegisterExtension}), started before the
 * class's {@code @BeforeEach} methods and stopped after its {@code @AfterEach} methods, even when a test fails.
 */
public final class OperatorOnMockApi implements BeforeEachCallback, AfterEachCallback {
    private MockKubernetes kubernetes;
    private RunningOperator operator;

    @Override
    public void beforeEach(ExtensionContext context) {
        kubernetes = new MockKubernetes();
        operator = new RunningOperator(kubernetes);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (operator != null) operator.close();
        } finally {
            if (kubernetes != null) kubernetes.close();
        }
    }

    public MockKubernetes kubernetes() {
        return kubernetes;
    }

    public RunningOperator operator() {
        return operator;
    }
}
