// The TCP connections of the HTTP server: at most `cap` open per client address (0 = no cap; the rest
// are closed at once), and every one known, so that a shutdown can close them all — idle keep-alive,
// slow uploads, and upgraded websockets that Node's closeAllConnections() no longer tracks.
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { clientAddress } from './client-address.ts';
import { MemoryLeases } from './leases.ts';

export interface ConnectionLimits {
  open(): number;
  destroyAll(): void;
}

export function limitConnections(httpServer: HttpServer, cap: number): ConnectionLimits {
  // Per replica even when the state is shared: these are this process's sockets (behind a proxy, the proxy's).
  const counter = new MemoryLeases();
  const sockets = new Set<Socket>();
  httpServer.on('connection', (socket: Socket) => {
    const release = counter.take(clientAddress(socket.remoteAddress), cap);
    if (!release) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      release();
    });
  });
  return {
    open: () => sockets.size,
    destroyAll: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
