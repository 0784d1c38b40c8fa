package io.harperdb.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A test's table in database {@code data}, created on each instance of a fixture, keyed by {@code id}. */
public record HarperDbTable(HarperDbCluster real, String name) {

    /** Creates a table named {@code prefix} plus a number on every instance, each apart. */
    public static HarperDbTable onEveryInstance(HarperDbCluster real, String prefix) {
        HarperDbTable table = new HarperDbTable(real, prefix + System.nanoTime() % 100_000);
        for (HarperDbInstance instance : real.instances()) {
            instance.call(Map.of("operation", "create_table", "database", "data", "table", table.name, "primary_key", "id"));
        }
        return table;
    }

    /** Whether instance {@code index} acknowledged the record; false when it did not answer. */
    public boolean insert(int index, String id) {
        try {
            HarperDbInstance.Answer answer = real.instance(index).call(Map.of("operation", "insert", "database", "data", "table", name,
                    "records", List.of(Map.of("id", id))));
            return answer.ok() && answer.body().path("inserted_hashes").size() == 1;
        } catch (RuntimeException e) {    // the instance went away: not acknowledged
            return false;
        }
    }

    /** The ids instance {@code index} holds. */
    public Set<String> ids(int index) {
        JsonNode found = real.instance(index).post(Map.of("operation", "search_by_value", "database", "data", "table", name,
                "search_attribute", "id", "search_value", "*", "get_attributes", List.of("id")));
        Set<String> ids = new TreeSet<>();
        found.forEach(r -> ids.add(r.path("id").asText()));
        return ids;
    }
}
