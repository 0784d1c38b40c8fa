package io.harperdb.operator.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.harperdb.operator.testing.pods.PodContract;
import java.util.List;
import java.util.Map;

/** Records written and read through an instance's Operations API, as a user of the example would. */
record ExampleData(PodContract k8s, String username, String password) {

    void createTable(String operationsUrl, String table) {
        k8s.call(operationsUrl, username, password, Map.of("operation", "create_table", "database", "data", "table", table,
                "primary_key", "id"));
    }

    void insert(String operationsUrl, String table, String id, String writtenOn) {
        k8s.call(operationsUrl, username, password, Map.of("operation", "insert", "database", "data", "table", table,
                "records", List.of(Map.of("id", id, "written", writtenOn))));
    }

    /** Whether the record {@code id} is in the table on that instance. */
    boolean has(String operationsUrl, String table, String id) {
        JsonNode found = k8s.call(operationsUrl, username, password, Map.of("operation", "search_by_id", "database", "data",
                "table", table, "ids", List.of(id), "get_attributes", List.of("*")));
        return found.isArray() && found.size() == 1 && id.equals(found.get(0).path("id").asText());
    }
}
