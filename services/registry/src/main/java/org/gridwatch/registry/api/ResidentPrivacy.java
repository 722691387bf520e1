package org.gridwatch.registry.api;

import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.gridwatch.contract.v1.Resident;
import org.gridwatch.plumbing.security.Caller;
import org.gridwatch.plumbing.security.Roles;

/**
 * The one place that decides who sees a resident's personal data (the name an operator may use
 * and the monitoring flags, which say for example that an elderly person lives alone or is away).
 * The people who look after the residents of their area need them to act on an alert: operators,
 * dispatchers, supervisors, administrators, and GridWatch's services (detection's flags). Anyone
 * else allowed to read the registry, an integrator connecting sensors, sees only which unit a
 * resident lives in. The area itself is checked before, as for every registry read.
 */
@RequestScoped
public class ResidentPrivacy {

    static final Set<String> CARERS = Set.of(Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR,
            Roles.ADMINISTRATOR, Roles.SERVICE);

    @Inject
    Caller caller;

    public boolean callerMaySeePersonalData() {
        return CARERS.stream().anyMatch(caller::hasRole);
    }

    /** The resident whole for a carer, else reduced to the id and the unit. */
    public Resident asSeenByCaller(Resident resident) {
        if (callerMaySeePersonalData()) {
            return resident;
        }
        return Resident.newBuilder().setId(resident.getId()).setUnitId(resident.getUnitId()).build();
    }
}
