package org.gridwatch.registry.domain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gridwatch.contract.PayloadException;
import org.gridwatch.contract.ProtoJson;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.RegistrySnapshot;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.contract.v1.Rule;

/** Reads seed files (each a {@code RegistrySnapshot} in the protobuf JSON mapping) into registry records. */
public final class SeedFile {

    private SeedFile() {
    }

    /** Loads and merges several files, then checks that together they hang together. */
    public static List<RegistryRecord> loadAll(List<String> locations) {
        RegistrySnapshot.Builder merged = RegistrySnapshot.newBuilder();
        for (String location : locations) {
            if (!location.isBlank() && !location.equals("none")) {
                merged.mergeFrom(read(location));
            }
        }
        // A later file may change a rule of an earlier one (a deployment's own defaults): the last wins.
        Map<String, Rule> rules = new LinkedHashMap<>();
        merged.getRulesList().forEach(rule -> rules.put(rule.getId(), rule));
        RegistrySnapshot snapshot = merged.clearRules().addAllRules(rules.values()).build();
        RegistryValidation.requireValid(snapshot);
        return toRecords(snapshot);
    }

    private static RegistrySnapshot read(String location) {
        String json;
        try {
            json = location.startsWith("classpath:") ? readResource(location.substring("classpath:".length()))
                    : Files.readString(Path.of(location), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the registry seed file " + location + ": " + e.getMessage(), e);
        }
        try {
            return ProtoJson.mergeJson(json, RegistrySnapshot.newBuilder()).build();
        } catch (PayloadException e) {
            throw new IllegalStateException("The registry seed file " + location + " is not valid: " + e.getMessage(), e);
        }
    }

    static List<RegistryRecord> toRecords(RegistrySnapshot snapshot) {
        return RegistryState.records(snapshot);
    }

    private static String readResource(String name) throws IOException {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource named " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
