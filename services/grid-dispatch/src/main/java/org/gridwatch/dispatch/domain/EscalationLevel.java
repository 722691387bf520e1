package org.gridwatch.dispatch.domain;

import java.util.Optional;

import org.gridwatch.contract.v1.Worker;
import org.gridwatch.registryview.RegistryState;

/**
 * Who answers for a task above its grid worker once a deadline is missed: the community's
 * supervisor, then the street's dispatcher, then the district's commander.
 */
public enum EscalationLevel {
    COMMUNITY(Worker.Role.COMMUNITY_SUPERVISOR),
    STREET(Worker.Role.STREET_DISPATCHER),
    DISTRICT(Worker.Role.DISTRICT_COMMANDER);

    private final Worker.Role role;

    EscalationLevel(Worker.Role role) {
        this.role = role;
    }

    public Worker.Role role() {
        return role;
    }

    /** The area of the task at this level (null when the task's place has none). */
    public String areaOf(Task.Place place) {
        return switch (this) {
            case COMMUNITY -> place.communityId();
            case STREET -> place.streetId();
            case DISTRICT -> place.districtId();
        };
    }

    /** Who answers for the task at this level: the first person of the level's role in its area, by id. */
    public Optional<String> answerer(RegistryState registry, Task.Place place) {
        return registry.workersOf(areaOf(place)).stream().filter(w -> w.getRole() == role).map(Worker::getId).sorted()
                .findFirst();
    }

    /** The level after {@code current} (null: none yet), skipping levels the place has no area for; empty at the top. */
    public static Optional<EscalationLevel> after(String current, Task.Place place) {
        int from = current == null ? 0 : valueOf(current).ordinal() + 1;
        for (int i = from; i < values().length; i++) {
            if (values()[i].areaOf(place) != null) {
                return Optional.of(values()[i]);
            }
        }
        return Optional.empty();
    }
}
