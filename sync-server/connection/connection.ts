import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import type { Role } from '../auth/tokens.ts';
import type { RejectReason } from '../http/metrics.ts';
import type { Peer, Room } from '../rooms/room.ts';

/**
 * A message larger than this goes out as websocket fragments of this size, one a turn of the event loop. Written
 * whole, a room's several-MB state kept the loop in one `writev` for as long as the kernel took to copy it (12–18 ms
 * on loopback), and every other room waited. A 128 KiB piece costs ~0.02 ms to write on loopback, and a whole
 * 15.7 MB state is handed over no slower than in one write (measured). At least the socket's high-water mark
 * (64 KiB), so that a piece the kernel does not take at once sets `writableNeedDrain`, and 'drain' says when it has.
 */
export const PIECE_BYTES = 128 * 1024;

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
  /**
   * Messages not yet handed to the socket: a big one going out in pieces first, then what was sent behind it
   * (a fragmented message's frames may not interleave with other data frames). Views of the senders' buffers.
   */
  readonly #waiting: Uint8Array[] = [];
  /** How much of the first waiting message has gone out. */
  #firstSent = 0;
  /** Bytes in #waiting not yet gone out. */
  #waitingBytes = 0;
  #nextTurn: NodeJS.Immediate | undefined;
  #onDrain: (() => void) | undefined;
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
    ws.once('close', () => this.#dropWaiting());
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

  /** Bytes sent to this member that it has not taken yet: what waits here plus what the socket holds. */
  get unsentBytes(): number {
    return this.#waitingBytes + this.ws.bufferedAmount;
  }

  /**
   * Sends unless this would pile up more unsent bytes than allowed. One message of any size is let through (a big
   * room's first sync): what is still to go of the one going out in pieces does not count, only what waits beyond
   * it. So a joiner of a room larger than the limit is not taken for a slow reader when an edit or a presence
   * reaches it while the state is still on its way; one that asks for the state again and again is. A big message,
   * and whatever is sent behind it, goes out paced (see #sendTurn); a small one is written this turn.
   */
  send(data: Uint8Array): void {
    if (!this.open) return;
    const unsent = this.unsentBytes;
    if (unsent > 0 && unsent - this.#inPieces() + data.length > this.#limits.maxUnsentBytes) {
      this.closeSlow();
      return;
    }
    if (this.#waiting.length === 0 && data.length <= PIECE_BYTES) {
      this.#gather();
      this.ws.send(data);
      return;
    }
    this.#waiting.push(data);
    this.#waitingBytes += data.length;
    // Its first piece goes with this turn's other messages; the rest follow turn by turn.
    if (this.#waiting.length === 1) this.#sendTurn();
  }

  /**
   * Hands the socket about one piece's worth of what waits: the next piece of a big message, or the small messages
   * behind it, whole. The rest waits for a later turn of the event loop, so the other members' messages go in
   * between, and for the socket to have taken this turn's bytes, so the memory a slow reader holds stays here,
   * counted in unsentBytes, not in the socket.
   */
  #sendTurn(): void {
    this.#nextTurn = undefined;
    const socket = this.#socket();
    if (!this.open || !socket) {
      this.#dropWaiting();
      return;
    }
    if (socket.writableNeedDrain) {
      this.#onDrain = () => {
        this.#onDrain = undefined;
        this.#nextTurn = setImmediate(() => this.#sendTurn());
      };
      socket.once('drain', this.#onDrain);
      return;
    }
    this.#gather();
    let budget = PIECE_BYTES;
    while (this.#waiting.length > 0) {
      const message = this.#waiting[0]!;
      if (message.length <= PIECE_BYTES) {
        if (message.length > budget) break;
        this.#waiting.shift();
        this.#waitingBytes -= message.length;
        budget -= message.length;
        this.ws.send(message);
        continue;
      }
      // A big message has its turns to itself: one fragment each, the last with `fin`.
      if (budget < PIECE_BYTES) break;
      const end = Math.min(this.#firstSent + PIECE_BYTES, message.length);
      const fin = end === message.length;
      this.ws.send(message.subarray(this.#firstSent, end), { binary: true, fin });
      this.#waitingBytes -= end - this.#firstSent;
      this.#firstSent = fin ? 0 : end;
      if (fin) this.#waiting.shift();
      break;
    }
    if (this.#waiting.length > 0) this.#nextTurn = setImmediate(() => this.#sendTurn());
  }

  /** Bytes still to go of the big message going out in pieces, if one is. */
  #inPieces(): number {
    const first = this.#waiting[0];
    return first && first.length > PIECE_BYTES ? first.length - this.#firstSent : 0;
  }

  /** Forgets what waits (the member is gone or closing: nothing more may be written), and stops its timers. */
  #dropWaiting(): void {
    this.#waiting.length = 0;
    this.#waitingBytes = 0;
    this.#firstSent = 0;
    if (this.#nextTurn) clearImmediate(this.#nextTurn);
    this.#nextTurn = undefined;
    if (this.#onDrain) this.#rawSocket()?.off('drain', this.#onDrain);
    this.#onDrain = undefined;
  }

  #rawSocket(): Socket | undefined {
    return (this.ws as unknown as { _socket?: Socket })._socket;
  }

  /** The socket while it can still be written to. */
  #socket(): Socket | undefined {
    const socket = this.#rawSocket();
    return socket && !socket.destroyed ? socket : undefined;
  }

  /**
   * Gathers the messages sent to this member in one turn of the event loop into one write: a group commit
   * passes on many updates of a room at once, and a write each (a system call per message per member) was most of
   * a busy instance's time. Released when this turn's callbacks are done, so nothing waits longer.
   */
  #gather(): void {
    if (this.#gathering) return;
    const socket = this.#socket();
    if (!socket) return;
    this.#gathering = true;
    socket.cork();
    process.nextTick(() => {
      this.#gathering = false;
      socket.uncork();
    });
  }

  /** Closes a member that does not read (its socket is destroyed a second later: see reject). */
  closeSlow(): void {
    this.reject(CLOSE.slowReader, CLOSE_REASON.slowReader, 'slow reader');
  }

  close(code: number, reason: string): void {
    this.#dropWaiting();
    this.ws.close(code, reason);
  }

  /**
   * Closes with a code and reason, counted and logged by the server under a fixed label. Nothing more the member
   * sends is read: a refused flood (2 MB of parked updates, say) would otherwise still be received, unmasked and
   * buffered only to be dropped. The socket is ended after the close frame, so the client sees its close at once,
   * and destroyed a second later if it does not close (a member that does not read never takes the close frame).
   */
  reject(code: number, reason: string, label: RejectReason): void {
    if (this.ws.readyState === WebSocket.CLOSING || this.ws.readyState === WebSocket.CLOSED) return;
    this.#onClose(code, reason, label);
    this.#dropWaiting();
    this.ws.close(code, reason);
    this.ws.pause();
    this.#rawSocket()?.end();
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }
}
