package org.gridwatch.alerting.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.gridwatch.contract.v1.AreaLevel;

/**
 * The levels of the area hierarchy that have operator consoles and people to tell, in the order
 * an unacknowledged alert escalates: grid, then community, street, district.
 */
public enum Level {
    GRID, COMMUNITY, STREET, DISTRICT;

    /** The name stored and shown: "grid", "community", "street", "district". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Level> parse(String id) {
        return id == null ? Optional.empty()
                : Arrays.stream(values()).filter(l -> l.id().equalsIgnoreCase(id.strip())).findFirst();
    }

    /** The console level of an area: a building's or unit's operators work at grid level. */
    public static Optional<Level> of(AreaLevel areaLevel) {
        return switch (areaLevel) {
            case DISTRICT -> Optional.of(DISTRICT);
            case STREET -> Optional.of(STREET);
            case COMMUNITY -> Optional.of(COMMUNITY);
            case GRID, BUILDING, UNIT -> Optional.of(GRID);
            default -> Optional.empty();
        };
    }

    /** The alert's area at this level, null when its place does not say. */
    public String areaOf(Alert.Place place) {
        return switch (this) {
            case GRID -> place.gridId();
            case COMMUNITY -> place.communityId();
            case STREET -> place.streetId();
            case DISTRICT -> place.districtId();
        };
    }

    /** The next level up that the place has an area for; empty at the top. */
    public Optional<Level> next(Alert.Place place) {
        for (int i = ordinal() + 1; i < values().length; i++) {
            if (values()[i].areaOf(place) != null) {
                return Optional.of(values()[i]);
            }
        }
        return Optional.empty();
    }

    /** A level's rank (0 grid .. 3 district) from its stored name; a missing or unknown level ranks as grid. */
    public static int rank(String id) {
        return id == null ? 0 : switch (id) {
            case "community" -> 1;
            case "street" -> 2;
            case "district" -> 3;
            default -> 0;
        };
    }

    /** SQL giving a level's rank (0 grid .. 3 district) from its stored name; a missing level ranks as grid. */
    public static String rankSql(String column) {
        return "coalesce(array_position(ARRAY['grid', 'community', 'street', 'district'], " + column + "), 1) - 1";
    }
}
