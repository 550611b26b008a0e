package dev.tierflow.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Local TCP ports for servers that must be told their port before they start. */
public final class Ports {

    private Ports() {
    }

    /**
     * A port on 127.0.0.1 that was free a moment ago. Another process can still take it before the
     * caller binds it; that race is accepted because KRaft and Quarkus need the port up front.
     */
    public static int freePort() {
        return freePorts(1)[0];
    }

    /** {@code count} different free ports: all are held open together while choosing, so none repeats. */
    public static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find " + count + " free ports on 127.0.0.1", e);
        } finally {
            sockets.forEach(Ports::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was accepted on it
        }
    }
}
