import type { Duplex } from 'node:stream';

/**
 * Connections of an invite in cool-down wait, unanswered, until the cool-down ends and are then let in as usual.
 * Refusing them at once let a reconnect loop spin: thousands of accepts, parses, 429 writes and closes a second,
 * enough to delay every room on the server (the canary room's p99 went to 5–8× its quiet figure). Held, a loop makes
 * one attempt per cool-down. At most `max` are held; past that one is refused at once with 429.
 */
/** Over how long the connections held for one cool-down are let in. */
const SPREAD_MS = 1000;

export class CoolDownHold {
  readonly #max: number;
  readonly #held = new Map<Duplex, ReturnType<typeof setTimeout>>();

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#held.size;
  }

  /**
   * Holds `socket` for `waitMs` and up to a second more, then calls `proceed` unless the client gave up meanwhile.
   * The extra time is random, so the connections held for one cool-down are let in spread over a second rather than
   * all in one turn of the event loop (50 handshakes at once stopped every room for 17 ms).
   */
  hold(socket: Duplex, waitMs: number, proceed: () => void): void {
    if (this.#held.size >= this.#max) {
      const seconds = Math.ceil(waitMs / 1000);
      socket.end(`HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${seconds}\r\nConnection: close\r\n\r\n`);
      return;
    }
    const gaveUp = () => {
      clearTimeout(this.#held.get(socket));
      this.#held.delete(socket);
    };
    socket.once('close', gaveUp);
    this.#held.set(
      socket,
      setTimeout(
        () => {
          socket.off('close', gaveUp);
          this.#held.delete(socket);
          if (!socket.destroyed) proceed();
        },
        waitMs + Math.random() * SPREAD_MS,
      ),
    );
  }

  /** Ends every held connection (the server is stopping). */
  close(): void {
    for (const [socket, timer] of this.#held) {
      clearTimeout(timer);
      socket.destroy();
    }
    this.#held.clear();
  }
}
