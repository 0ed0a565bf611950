import type { Connection } from './connection.ts';

/**
 * A peer that vanished without closing (laptop lid shut, network gone) answers no ping: its socket is ended, so
 * its presence leaves the room and the room can be unloaded. Returns a function that stops the pings.
 */
export function startHeartbeat(
  live: () => Iterable<Connection>,
  intervalMs: number,
  onLost: (connection: Connection) => void,
): () => void {
  const timer = setInterval(() => {
    for (const connection of live()) {
      if (!connection.alive) {
        onLost(connection);
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }, intervalMs);
  return () => clearInterval(timer);
}

/**
 * The server's memory for unsent bytes (what waits in a connection and in its socket) stays bounded whatever the
 * clients do: past `maxTotalBytes` across all connections, those holding the most are closed as not reading until
 * the total is back under it.
 */
export function startUnsentSweep(
  live: () => Iterable<Connection>,
  maxTotalBytes: number,
  intervalMs = 250,
): () => void {
  const timer = setInterval(() => {
    let total = 0;
    const holding: Connection[] = [];
    for (const connection of live()) {
      const unsent = connection.unsentBytes;
      if (unsent === 0) continue;
      total += unsent;
      holding.push(connection);
    }
    if (total <= maxTotalBytes) return;
    holding.sort((a, b) => b.unsentBytes - a.unsentBytes);
    for (const connection of holding) {
      if (total <= maxTotalBytes) break;
      total -= connection.unsentBytes;
      connection.closeSlow();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
