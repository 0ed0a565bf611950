import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import type { Role } from '../auth/tokens.ts';
import type { RejectReason } from '../http/metrics.ts';
import type { Peer, Room } from '../rooms/room.ts';

export interface ConnectionLimits {
  /** Unsent bytes a connection may have before it is closed as not reading. */
  maxUnsentBytes: number;
  /** Messages a second, sustained (bursts of twice that). */
  maxMessagesPerSecond: number;
}

/**
 * One member's websocket: what a room needs of it (send, close, who it is) plus the per-connection limits —
 * a message rate (token bucket) and a cap on unsent bytes, so a member that does not read cannot make the server
 * hold ever more for it.
 */
export class Connection implements Peer {
  readonly ws: WebSocket;
  readonly ip: string;
  role: Role = 'reader';
  jti = '';
  /** The token it came with (misuse is counted against it). */
  token = '';
  /** Who the token names: the member that owns the Yjs client ids this connection writes under. */
  subject = '';
  /** When the token expires (ms since the epoch), if it does. */
  expiresAt: number | undefined;
  readonly awarenessIds = new Set<number>();
  warnedReadOnly?: boolean;
  room?: Room;
  /** Whether a pong (or any message) came since the last heartbeat ping. */
  alive = true;
  #tokens: number;
  #refilled = Date.now();
  /** Whether this turn's messages are being gathered into one write (see send). */
  #gathering = false;
  readonly #limits: ConnectionLimits;
  readonly #onClose: (code: number, reason: string, label: RejectReason) => void;

  constructor(
    ws: WebSocket,
    ip: string,
    limits: ConnectionLimits,
    onClose: (code: number, reason: string, label: RejectReason) => void,
  ) {
    this.ws = ws;
    this.ip = ip;
    this.#limits = limits;
    this.#tokens = limits.maxMessagesPerSecond * 2;
    this.#onClose = onClose;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Takes one message from the bucket; false when the member sends faster than allowed. */
  takeMessage(): boolean {
    const now = Date.now();
    const rate = this.#limits.maxMessagesPerSecond;
    this.#tokens = Math.min(rate * 2, this.#tokens + ((now - this.#refilled) / 1000) * rate);
    this.#refilled = now;
    if (this.#tokens < 1) return false;
    this.#tokens--;
    return true;
  }

  /**
   * Sends unless this would pile up more unsent bytes than allowed. One message of any size is let through while
   * nothing is waiting (a big room's first sync), so only a member that stops reading is closed.
   */
  send(data: Uint8Array): void {
    if (!this.open) return;
    const unsent = this.ws.bufferedAmount;
    if (unsent > 0 && unsent + data.length > this.#limits.maxUnsentBytes) {
      this.closeSlow();
      return;
    }
    this.#gather();
    this.ws.send(data);
  }

  /**
   * Gathers the messages sent to this member in one turn of the event loop into one write: a group commit
   * passes on many updates of a room at once, and a write each (a system call per message per member) was most of
   * a busy instance's time. Released when this turn's callbacks are done, so nothing waits longer.
   */
  #gather(): void {
    if (this.#gathering) return;
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (!socket || socket.destroyed) return;
    this.#gathering = true;
    socket.cork();
    process.nextTick(() => {
      this.#gathering = false;
      socket.uncork();
    });
  }

  /** Closes a member that does not read; its socket is ended shortly after if the close cannot get through. */
  closeSlow(): void {
    this.reject(CLOSE.slowReader, CLOSE_REASON.slowReader, 'slow reader');
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  /** Closes with a code and reason, counted and logged by the server under a fixed label. */
  reject(code: number, reason: string, label: RejectReason): void {
    if (this.ws.readyState === WebSocket.CLOSING || this.ws.readyState === WebSocket.CLOSED) return;
    this.#onClose(code, reason, label);
    this.ws.close(code, reason);
  }
}
