package org.gridwatch.registryview;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicLong;

import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.Device;
import org.gridwatch.contract.v1.Gateway;
import org.gridwatch.contract.v1.Location;
import org.gridwatch.contract.v1.MqttCredential;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.RegistrySnapshot;
import org.gridwatch.contract.v1.Resident;
import org.gridwatch.contract.v1.Rule;
import org.gridwatch.contract.v1.SensorType;
import org.gridwatch.contract.v1.Worker;

/**
 * The registry's entities as last seen on the registry topic. Record keys are
 * {@code "{entity}/{id}"}; a null value (tombstone) removes the entity.
 */
public final class RegistryState {

    private final Map<String, Area> areas = new ConcurrentHashMap<>();
    private final Map<String, Gateway> gateways = new ConcurrentHashMap<>();
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, Resident> residents = new ConcurrentHashMap<>();
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Map<String, SensorType> sensorTypes = new ConcurrentHashMap<>();
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    /** By principal (a gateway's id): salted slow hashes, never a secret. */
    private final Map<String, MqttCredential> mqttCredentials = new ConcurrentHashMap<>();
    /** Residents by their unit, resident id -> resident: looked up for every reading that a flag can silence. */
    private final Map<String, Map<String, Resident>> residentsByUnit = new ConcurrentHashMap<>();
    /** Workers by the area they answer for, worker id -> worker: looked up for every task assignment. */
    private final Map<String, Map<String, Worker>> workersByArea = new ConcurrentHashMap<>();

    public static String key(RegistryRecord record) {
        return switch (record.getEntityCase()) {
            case AREA -> "area/" + record.getArea().getId();
            case GATEWAY -> "gateway/" + record.getGateway().getId();
            case DEVICE -> "device/" + record.getDevice().getId();
            case RESIDENT -> "resident/" + record.getResident().getId();
            case WORKER -> "worker/" + record.getWorker().getId();
            case SENSOR_TYPE -> "sensor-type/" + record.getSensorType().getName();
            case RULE -> "rule/" + record.getRule().getId();
            case MQTT_CREDENTIAL -> "mqtt-credential/" + record.getMqttCredential().getPrincipal();
            case ENTITY_NOT_SET -> throw new IllegalArgumentException("Registry record without an entity");
        };
    }

    /**
     * The records of a whole registry document (a seed file, a corpus), sensor types and rules
     * first, then the hierarchy from the top down, as the registry publishes them.
     */
    public static List<RegistryRecord> records(RegistrySnapshot snapshot) {
        List<RegistryRecord> records = new ArrayList<>();
        snapshot.getSensorTypesList().forEach(t -> records.add(RegistryRecord.newBuilder().setSensorType(t).build()));
        snapshot.getRulesList().forEach(r -> records.add(RegistryRecord.newBuilder().setRule(r).build()));
        snapshot.getAreasList().forEach(a -> records.add(RegistryRecord.newBuilder().setArea(a).build()));
        snapshot.getGatewaysList().forEach(g -> records.add(RegistryRecord.newBuilder().setGateway(g).build()));
        snapshot.getDevicesList().forEach(d -> records.add(RegistryRecord.newBuilder().setDevice(d).build()));
        snapshot.getResidentsList().forEach(r -> records.add(RegistryRecord.newBuilder().setResident(r).build()));
        snapshot.getWorkersList().forEach(w -> records.add(RegistryRecord.newBuilder().setWorker(w).build()));
        return records;
    }

    /** Applies every entity of a registry document. */
    public void applyAll(RegistrySnapshot snapshot) {
        records(snapshot).forEach(record -> apply(key(record), record));
    }

    /** Counts every record applied, so that readers can cache what they derive and know when to redo it. */
    private final AtomicLong changes = new AtomicLong();

    /** Applies one record of the registry topic. */
    public void apply(String key, RegistryRecord record) {
        changes.incrementAndGet();
        if (record == null) {
            remove(key);
            return;
        }
        switch (record.getEntityCase()) {
            case AREA -> areas.put(record.getArea().getId(), record.getArea());
            case GATEWAY -> gateways.put(record.getGateway().getId(), record.getGateway());
            case DEVICE -> devices.put(record.getDevice().getId(), record.getDevice());
            case RESIDENT -> {
                unindex(residents.put(record.getResident().getId(), record.getResident()));
                residentsByUnit.computeIfAbsent(record.getResident().getUnitId(), unit -> new ConcurrentHashMap<>())
                        .put(record.getResident().getId(), record.getResident());
            }
            case WORKER -> {
                unindex(workers.put(record.getWorker().getId(), record.getWorker()));
                workersByArea.computeIfAbsent(record.getWorker().getAreaId(), area -> new ConcurrentHashMap<>())
                        .put(record.getWorker().getId(), record.getWorker());
            }
            case SENSOR_TYPE -> sensorTypes.put(record.getSensorType().getName(), record.getSensorType());
            case RULE -> rules.put(record.getRule().getId(), record.getRule());
            case MQTT_CREDENTIAL -> mqttCredentials.put(record.getMqttCredential().getPrincipal(),
                    record.getMqttCredential());
            case ENTITY_NOT_SET -> {
                // A record from a newer registry with an entity this version does not know: skip it.
            }
        }
    }

    private void remove(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return;
        }
        String id = key.substring(slash + 1);
        switch (key.substring(0, slash)) {
            case "area" -> areas.remove(id);
            case "gateway" -> gateways.remove(id);
            case "device" -> devices.remove(id);
            case "resident" -> unindex(residents.remove(id));
            case "worker" -> unindex(workers.remove(id));
            case "sensor-type" -> sensorTypes.remove(id);
            case "rule" -> rules.remove(id);
            case "mqtt-credential" -> mqttCredentials.remove(id);
            default -> {
                // Unknown entity kind: nothing of ours to remove.
            }
        }
    }

    private void unindex(Resident resident) {
        if (resident != null) {
            Map<String, Resident> unit = residentsByUnit.get(resident.getUnitId());
            if (unit != null) {
                unit.remove(resident.getId());
            }
        }
    }

    private void unindex(Worker worker) {
        if (worker != null) {
            Map<String, Worker> area = workersByArea.get(worker.getAreaId());
            if (area != null) {
                area.remove(worker.getId());
            }
        }
    }

    /** How many records have been applied so far: a cache built at one count is stale at another. */
    public long changes() {
        return changes.get();
    }

    public Optional<Area> area(String id) {
        return Optional.ofNullable(id == null ? null : areas.get(id));
    }

    public Optional<Gateway> gateway(String id) {
        return Optional.ofNullable(id == null ? null : gateways.get(id));
    }

    public Optional<Device> device(String id) {
        return Optional.ofNullable(id == null ? null : devices.get(id));
    }

    public Optional<Worker> worker(String id) {
        return Optional.ofNullable(id == null ? null : workers.get(id));
    }

    public Optional<SensorType> sensorType(String name) {
        return Optional.ofNullable(name == null ? null : sensorTypes.get(name));
    }

    public Collection<SensorType> sensorTypes() {
        return sensorTypes.values();
    }

    /**
     * A copy of this registry with other rules in place of its own, for running candidate rules
     * over recorded readings without touching the live ones.
     */
    public RegistryState withRules(Collection<Rule> candidates) {
        RegistryState copy = new RegistryState();
        copy.areas.putAll(areas);
        copy.gateways.putAll(gateways);
        copy.devices.putAll(devices);
        copy.residents.putAll(residents);
        residentsByUnit.forEach((unit, byId) -> copy.residentsByUnit.put(unit, new ConcurrentHashMap<>(byId)));
        copy.workers.putAll(workers);
        copy.sensorTypes.putAll(sensorTypes);
        candidates.forEach(rule -> copy.rules.put(rule.getId(), rule));
        return copy;
    }

    public Optional<Rule> rule(String id) {
        return Optional.ofNullable(id == null ? null : rules.get(id));
    }

    public Collection<Rule> rules() {
        return rules.values();
    }

    /** The MQTT credential of a gateway or service, revoked ones included (they say when). */
    /** Every gateway's credential, revoked ones included. */
    public Collection<MqttCredential> mqttCredentials() {
        return mqttCredentials.values();
    }

    public Optional<MqttCredential> mqttCredential(String principal) {
        return Optional.ofNullable(principal == null ? null : mqttCredentials.get(principal));
    }

    /** The rules by id, as a live read-only view (no copy). */
    public Map<String, Rule> rulesById() {
        return java.util.Collections.unmodifiableMap(rules);
    }

    /** Whether an area is the given ancestor or lies anywhere under it. */
    public boolean isWithin(String areaId, String ancestorId) {
        String current = areaId;
        for (int depth = 0; current != null && !current.isEmpty() && depth < 16; depth++) {
            if (current.equals(ancestorId)) {
                return true;
            }
            Area area = areas.get(current);
            current = area == null ? null : area.getParentId();
        }
        return false;
    }

    public Collection<Area> areas() {
        return areas.values();
    }

    public Collection<Gateway> gateways() {
        return gateways.values();
    }

    public Collection<Device> devices() {
        return devices.values();
    }

    public Collection<Resident> residents() {
        return residents.values();
    }

    public Collection<Worker> workers() {
        return workers.values();
    }

    public List<Resident> residentsOf(String unitId) {
        Map<String, Resident> unit = unitId == null ? null : residentsByUnit.get(unitId);
        return unit == null ? List.of() : List.copyOf(unit.values());
    }

    public List<Worker> workersOf(String areaId) {
        Map<String, Worker> area = areaId == null ? null : workersByArea.get(areaId);
        return area == null ? List.of() : List.copyOf(area.values());
    }

    /**
     * Where an area is, as {latitude, longitude}: its own position, else the nearest ancestor's
     * (a unit takes its building's); empty when none up the hierarchy has one.
     */
    public Optional<double[]> positionOf(String areaId) {
        return nearestUp(areaId, area -> area.hasLatitude() && area.hasLongitude())
                .map(area -> new double[] {area.getLatitude(), area.getLongitude()});
    }

    /** The area itself or its nearest ancestor that has what is asked; empty when none up the hierarchy has. */
    private Optional<Area> nearestUp(String areaId, Predicate<Area> has) {
        String current = areaId;
        // A bound on the walk guards against a cycle in bad registry data.
        for (int depth = 0; current != null && !current.isEmpty() && depth < 16; depth++) {
            Area area = areas.get(current);
            if (area == null) {
                break;
            }
            if (has.test(area)) {
                return Optional.of(area);
            }
            current = area.getParentId();
        }
        return Optional.empty();
    }

    /** Walks up from an area (usually a unit) and names each level of the hierarchy it lies in. */
    public Location locate(String areaId) {
        Location.Builder location = Location.newBuilder();
        String current = areaId;
        // A bound on the walk guards against a cycle in bad registry data.
        for (int depth = 0; current != null && !current.isEmpty() && depth < 16; depth++) {
            Area area = areas.get(current);
            if (area == null) {
                break;
            }
            switch (area.getLevel()) {
                case UNIT -> location.setUnitId(area.getId());
                case BUILDING -> location.setBuildingId(area.getId());
                case GRID -> location.setGridId(area.getId());
                case COMMUNITY -> location.setCommunityId(area.getId());
                case STREET -> location.setStreetId(area.getId());
                case DISTRICT -> location.setDistrictId(area.getId());
                default -> {
                    // Unspecified levels add nothing.
                }
            }
            current = area.getParentId();
        }
        return location.build();
    }

    /** The time zone of an area: its own, else the nearest ancestor's, else UTC. */
    public String timeZoneOf(String areaId) {
        return nearestUp(areaId, area -> !area.getTimeZone().isEmpty()).map(Area::getTimeZone).orElse("UTC");
    }

}
