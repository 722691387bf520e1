package org.gridwatch.telemetry.api;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.gridwatch.plumbing.security.Caller;
import org.gridwatch.registryview.RegistryViewBean;

import io.quarkus.security.ForbiddenException;

/**
 * What of the recorded data the caller may read: a device's series only when the device lies
 * within the area of their token (by the registry), an area's figures only within it.
 */
@RequestScoped
public class AreaScope {

    @Inject
    Caller caller;

    @Inject
    RegistryViewBean registry;

    /** Refuses (403) a device outside the caller's area, or one the registry does not know. */
    public void requireDevices(List<String> deviceIds) {
        if (caller.everywhere()) {
            return;
        }
        for (String deviceId : deviceIds) {
            String area = registry.state().device(deviceId).map(device -> device.getAreaId())
                    .orElseThrow(() -> new ForbiddenException("Device " + deviceId + " is not in the registry, so not "
                            + "within the area you answer for"));
            caller.scopeArea(area, registry.state()::isWithin);
        }
    }

    public void requireDevice(String deviceId) {
        requireDevices(List.of(deviceId));
    }

    /** The area an aggregate is for: the one asked for within the caller's, else theirs. */
    public String area(String asked) {
        return caller.scopeArea(asked, registry.state()::isWithin);
    }
}
