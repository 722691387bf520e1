package org.gridwatch.oidc;

import java.io.IOException;
import java.io.InputStream;

import no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt;

/**
 * The local stack's OpenID Connect provider: navikt's mock-oauth2-server, run standalone with the
 * configuration the launcher wrote (issuer {@code gridwatch}, the demo community's people and the
 * services' clients; {@code JSON_CONFIG_PATH}, {@code SERVER_PORT}). Like the launcher's other
 * children it exits when its standard input closes, that is when the launcher has gone away.
 */
public final class OidcProvider {

    private OidcProvider() {
    }

    public static void main(String[] args) {
        Thread lifeline = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                    // Only the end of the stream matters.
                }
            } catch (IOException e) {
                // A broken pipe means the launcher is gone, too.
            }
            System.exit(0);
        }, "lifeline");
        lifeline.setDaemon(true);
        lifeline.start();
        StandaloneMockOAuth2ServerKt.main();
    }
}
