package org.gridwatch.dispatch.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.gridwatch.contract.v1.AreaLevel;
import org.gridwatch.dispatch.store.TaskFigures;
import org.gridwatch.plumbing.security.Caller;
import org.gridwatch.plumbing.security.Roles;
import org.gridwatch.registryview.RegistryViewBean;

import io.smallrye.common.annotation.Blocking;

/**
 * Figures for supervisors: {@code GET /api/v1/figures?areaId=&by=&from=&to=}, the on-time rates
 * and stage times of the areas of level {@code by} (grid, community, street, district; by default
 * the level below {@code areaId}'s) over a period (by default the last 7 days), with open and
 * overdue counts now. See {@link TaskFigures}.
 */
@Path("/api/v1/figures")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMINISTRATOR})
public class FiguresResource {

    static final Duration DEFAULT_PERIOD = Duration.ofDays(7);
    static final Duration LONGEST_PERIOD = Duration.ofDays(400);

    /** The figures and what they cover. */
    public record Figures(String areaId, String by, Instant from, Instant to, List<TaskFigures.Area> areas) {
    }

    @Inject
    TaskFigures figures;

    @Inject
    RegistryViewBean registry;

    @Inject
    Clock clock;

    @Inject
    Caller caller;

    @GET
    public Figures figures(@QueryParam("areaId") String areaId, @QueryParam("by") String by,
                           @QueryParam("from") String from, @QueryParam("to") String to) {
        // Within the caller's area: theirs when none is asked for, 403 for one outside it.
        String area = caller.scopeArea(areaId, registry.state()::isWithin);
        AreaLevel level = area == null ? null : registry.state().area(area)
                .orElseThrow(() -> new BadRequestException("No area '" + area + "' in the registry")).getLevel();
        TaskFigures.By grouping = by == null || by.isBlank() ? below(level) : parse(by);
        Instant end = to == null ? clock.instant() : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_PERIOD) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new BadRequestException("from must be before to; got " + start + " and " + end);
        }
        if (Duration.between(start, end).compareTo(LONGEST_PERIOD) > 0) {
            throw new BadRequestException("A period is at most " + LONGEST_PERIOD.toDays() + " days; got "
                    + Duration.between(start, end).toDays());
        }
        return new Figures(area, grouping.name().toLowerCase(), start, end, figures.of(area, grouping, start, end));
    }

    /** The level one below an area's: a street's figures by community, and so on; everything by street. */
    private static TaskFigures.By below(AreaLevel level) {
        if (level == null) {
            return TaskFigures.By.STREET;
        }
        return switch (level) {
            case DISTRICT -> TaskFigures.By.STREET;
            case STREET -> TaskFigures.By.COMMUNITY;
            default -> TaskFigures.By.GRID;
        };
    }

    private static TaskFigures.By parse(String by) {
        return Arrays.stream(TaskFigures.By.values()).filter(b -> b.name().equalsIgnoreCase(by.strip())).findFirst()
                .orElseThrow(() -> new BadRequestException("by must be one of grid, community, street, district; got '"
                        + by + "'"));
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an instant like 2026-11-27T00:00:00Z; got '" + value + "'");
        }
    }
}
