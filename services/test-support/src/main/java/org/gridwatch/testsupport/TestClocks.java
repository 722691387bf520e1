package org.gridwatch.testsupport;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * In a {@code @QuarkusTest}, the service's clock is a {@link TestClock}: it runs with the wall
 * clock until a test moves it on to make a timer fall due. (This jar is a bean archive for it.)
 */
@Singleton
public class TestClocks {

    @Produces
    @Singleton
    TestClock clock() {
        return new TestClock();
    }
}
