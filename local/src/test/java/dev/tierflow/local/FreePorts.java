package dev.tierflow.local;

import java.io.IOException;
import java.net.ServerSocket;

/** Free ports for the embedded stack's fixed-port services in tests. */
final class FreePorts {

    private FreePorts() {
    }

    /** A free port whose next port is free too (the broker's controller and the registry's management take it). */
    static int pair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket first = new ServerSocket(0)) {
                int port = first.getLocalPort();
                try (ServerSocket second = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another pair
                }
            }
        }
        throw new IllegalStateException("no two consecutive free ports");
    }
}
