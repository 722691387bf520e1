package org.gridwatch.systemtests;

import org.junit.jupiter.api.BeforeAll;

/** A test of the whole system: the one {@link GridWatchSystem} of this JVM, started by the first test that needs it. */
abstract class SystemTest {

    static GridWatchSystem system;

    @BeforeAll
    static void startSystem() {
        system = GridWatchSystem.shared();
    }
}
