package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/** One database's replication socket of a connection, as cluster_status reports it (database_sockets[]). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"database", "connected", "backPressurePercent", "lastReceivedStatus"})
public class DatabaseSocketStatus {
    private String database;
    private Boolean connected;
    private Double backPressurePercent;
    private String lastReceivedStatus;

    public DatabaseSocketStatus() {
    }

    public DatabaseSocketStatus(String database, Boolean connected, Double backPressurePercent, String lastReceivedStatus) {
        this.database = database;
        this.connected = connected;
        this.backPressurePercent = backPressurePercent;
        this.lastReceivedStatus = lastReceivedStatus;
    }

    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database;
    }

    public Boolean getConnected() {
        return connected;
    }

    public void setConnected(Boolean connected) {
        this.connected = connected;
    }

    public Double getBackPressurePercent() {
        return backPressurePercent;
    }

    public void setBackPressurePercent(Double backPressurePercent) {
        this.backPressurePercent = backPressurePercent;
    }

    public String getLastReceivedStatus() {
        return lastReceivedStatus;
    }

    public void setLastReceivedStatus(String lastReceivedStatus) {
        this.lastReceivedStatus = lastReceivedStatus;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseSocketStatus d && Objects.equals(database, d.database)
                && Objects.equals(connected, d.connected) && Objects.equals(backPressurePercent, d.backPressurePercent)
                && Objects.equals(lastReceivedStatus, d.lastReceivedStatus);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, connected, backPressurePercent, lastReceivedStatus);
    }
}
