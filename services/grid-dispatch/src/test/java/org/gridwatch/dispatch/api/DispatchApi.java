package org.gridwatch.dispatch.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.gridwatch.contract.Topics;
import org.gridwatch.contract.v1.Area;
import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.contract.v1.RegistryRecord;
import org.gridwatch.contract.v1.Shift;
import org.gridwatch.contract.v1.Worker;
import org.gridwatch.registryview.RegistryState;
import org.gridwatch.registryview.RegistryViewBean;
import org.gridwatch.testsupport.Tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The grid-dispatch API as phones and consoles call it, each with a bearer token of the test
 * provider for the person it plays, and a small area of its own per test published to the real
 * registry topic. People are made up per test ({@code test-...}).
 */
final class DispatchApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    DispatchApi(URI base) {
        this.base = base;
    }

    /**
     * The roles of a console's person: every console role, so that a test picks the action, not the
     * desk, and the administrator's reach over the made-up areas; AccessTest holds people to their area.
     */
    static final String CONSOLE_ROLES = "operator dispatcher supervisor administrator";

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", Tokens.bearer(token));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A worker's phone. */
    HttpResponse<String> worker(String method, String path, String worker, String body) throws Exception {
        return send(method, path, worker == null ? null : Tokens.testPerson(worker, "grid-worker", null), body);
    }

    /** A console: operator, dispatcher, supervisor. */
    HttpResponse<String> console(String method, String path, String actor, String body) throws Exception {
        return send(method, path, actor == null ? null : Tokens.testPerson(person(actor), CONSOLE_ROLES, null), body);
    }

    /** The made-up person a test names: test-... as the provider wants them. */
    static String person(String name) {
        return name.startsWith("test-") ? name : "test-" + name;
    }

    static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        if (response.statusCode() != status) {
            throw new AssertionError("Expected " + status + " but got " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * A district > street > community with grids g1 (neighbour g2) and g2, a building with a
     * position and a unit; grid workers on shift all day, a community supervisor and a street
     * dispatcher. Ids carry a suffix of their own, so tests do not see each other's tasks.
     */
    static final class Area2 {
        final String id = UUID.randomUUID().toString().substring(0, 8);
        final String district = "d-" + id;
        final String street = "s-" + id;
        final String community = "c-" + id;
        final String g1 = "g1-" + id;
        final String g2 = "g2-" + id;
        final String building = "b-" + id;
        final String unit = "u-" + id;
        final String supervisor = "test-sup-" + id;
        final String dispatcher = "test-disp-" + id;
        final List<RegistryRecord> records = new ArrayList<>();

        Area2() {
            area(district, AreaLevel.DISTRICT, "").setTimeZone("Asia/Shanghai");
            area(street, AreaLevel.STREET, district);
            area(community, AreaLevel.COMMUNITY, street);
            area(g1, AreaLevel.GRID, community).addNeighbourIds(g2);
            area(g2, AreaLevel.GRID, community).addNeighbourIds(g1);
            area(building, AreaLevel.BUILDING, g1).setLatitude(31.2790).setLongitude(121.4530);
            area(unit, AreaLevel.UNIT, building);
            person(supervisor, Worker.Role.COMMUNITY_SUPERVISOR, community);
            person(dispatcher, Worker.Role.STREET_DISPATCHER, street);
        }

        private final List<Area.Builder> areas = new ArrayList<>();

        private Area.Builder area(String areaId, AreaLevel level, String parent) {
            Area.Builder area = Area.newBuilder().setId(areaId).setLevel(level).setParentId(parent).setName(areaId);
            areas.add(area);
            return area;
        }

        /** A grid worker of the grid, on shift all day, with the skills. */
        String worker(String name, String grid, String... skills) {
            String workerId = "test-" + name + "-" + id;
            person(workerId, Worker.Role.GRID_WORKER, grid).addAllSkills(List.of(skills));
            return workerId;
        }

        private final List<Worker.Builder> people = new ArrayList<>();

        private Worker.Builder person(String workerId, Worker.Role role, String area) {
            Worker.Builder worker = Worker.newBuilder().setId(workerId).setName(workerId).setRole(role).setAreaId(area)
                    .addShifts(Shift.newBuilder().setStart("00:00").setEnd("00:00"));
            people.add(worker);
            return worker;
        }

        /** Publishes the area to the registry topic and waits until the service's view has it. */
        void publish(String bootstrap, RegistryViewBean view) throws Exception {
            Properties config = new Properties();
            config.put("bootstrap.servers", bootstrap);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                    new ByteArraySerializer())) {
                for (Area.Builder area : areas) {
                    send(producer, RegistryRecord.newBuilder().setArea(area).build());
                }
                for (Worker.Builder worker : people) {
                    send(producer, RegistryRecord.newBuilder().setWorker(worker).build());
                }
                producer.flush();
            }
            String last = people.get(people.size() - 1).getId();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (view.state().worker(last).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("The registry view never saw worker " + last);
                }
                Thread.sleep(50);
            }
        }

        private static void send(KafkaProducer<String, byte[]> producer, RegistryRecord record) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY, RegistryState.key(record), record.toByteArray()));
        }
    }
}
