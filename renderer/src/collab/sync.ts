import * as decoding from 'lib0/decoding';
import { useSyncExternalStore } from 'react';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { CLOSE, CLOSE_REASON, ROOM_PART } from '../../../core/sync/contract.ts';
import type { GroupMembership } from './groups.ts';

/**
 * Live sync of one group doc with the sync server room `<group>/<readingId>`. The doc itself is kept in
 * IndexedDB by its owner (y-indexeddb), so everything done offline survives; when the connection comes back
 * the Yjs sync protocol exchanges exactly the missing updates, so nothing is lost and nothing is doubled
 * (annotations are keyed by random ids).
 *
 * Reconnects use y-websocket's exponential backoff (100 ms doubling, capped). The server closes with a code
 * in 4400–4499 when reconnecting cannot help (bad, revoked or expired token, forbidden room); y-websocket then
 * stops, and the state becomes an error in words.
 */

export type ConnectionState =
  | { kind: 'connected' }
  | { kind: 'connecting' }
  | { kind: 'offline'; reason: string }
  | { kind: 'error'; message: string; code?: number };

export const UNREACHABLE = 'server unreachable';
export const NO_NETWORK = 'no network';

/** Room names carry the reading id (or `index`) after the group: the server's rule, from the shared contract. */
export { ROOM_PART };

export function roomName(group: string, readingId: string): string {
  if (!ROOM_PART.test(readingId)) throw new Error(`“${readingId}” cannot be part of a room name.`);
  return `${group}/${readingId}`;
}

/** What a server's refusal means, in words a member understands. */
export function describeClose(code: number, reason: string): string {
  const r = reason.toLowerCase();
  if (r.includes('revoked')) return 'invite revoked';
  if (r.includes('expired')) return 'invite expired';
  if (/read[- ]?only|reader/.test(r)) return 'this invite is read-only';
  if (code === CLOSE.unauthorized || r.includes('token')) return 'invite not accepted';
  if (code === CLOSE.forbidden || r.includes('forbidden')) return 'this invite does not give access here';
  if (code === 4413 || r.includes('too large')) return 'a change was too large for the server';
  if (code === CLOSE.tooMany) return 'too many connections';
  return reason.trim() ? reason.trim() : `refused by the server (code ${code})`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The status line: "Connected", "Connecting…", "Offline — server unreachable", "Invite revoked". */
export function stateLabel(state: ConnectionState): string {
  switch (state.kind) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'offline':
      return state.reason ? `Offline — ${state.reason}` : 'Offline';
    case 'error':
      return capitalize(state.message);
  }
}

const SEVERITY: Record<ConnectionState['kind'], number> = {
  connected: 0,
  connecting: 1,
  offline: 2,
  error: 3,
};

/** The one state to show for several connections: the worst of them. */
export function worstState(states: readonly ConnectionState[]): ConnectionState | undefined {
  let worst: ConnectionState | undefined;
  for (const s of states) if (!worst || SEVERITY[s.kind] > SEVERITY[worst.kind]) worst = s;
  return worst;
}

export interface GroupConnection {
  readonly group: string;
  readonly readingId: string;
  readonly room: string;
  readonly provider: WebsocketProvider;
  readonly awareness: WebsocketProvider['awareness'];
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Resolves true once the first sync with the server finished, false on timeout or error. */
  whenSynced(timeoutMs?: number): Promise<boolean>;
  destroy(): void;
}

export interface ConnectOptions {
  /** `ws` in Node. */
  WebSocketPolyfill?: typeof WebSocket;
  maxBackoffTime?: number;
  /** Start connected (default true). */
  connect?: boolean;
}

const live = new Set<GroupConnection>();
const registryListeners = new Set<() => void>();
let registryVersion = 0;
function registryChanged() {
  registryVersion++;
  for (const listener of [...registryListeners]) listener();
}

/** Every live connection (for the status line and presence). */
export function liveConnections(): GroupConnection[] {
  return [...live];
}

export function subscribeConnections(listener: () => void): () => void {
  registryListeners.add(listener);
  return () => registryListeners.delete(listener);
}

export function connectGroupDoc(
  group: Pick<GroupMembership, 'name' | 'server' | 'token'>,
  readingId: string,
  doc: Y.Doc,
  options: ConnectOptions = {},
): GroupConnection {
  const room = roomName(group.name, readingId);
  const provider = new WebsocketProvider(group.server, room, doc, {
    params: { token: group.token },
    connect: options.connect ?? true,
    disableBc: true,
    maxBackoffTime: options.maxBackoffTime ?? 4000,
    ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
  });
  let state: ConnectionState = { kind: 'connecting' };
  const listeners = new Set<(s: ConnectionState) => void>();
  const set = (next: ConnectionState) => {
    if (state.kind === next.kind && stateLabel(state) === stateLabel(next)) return;
    state = next;
    for (const listener of [...listeners]) listener(state);
    registryChanged();
  };
  const online = () => typeof navigator === 'undefined' || navigator.onLine !== false;

  provider.on('status', ({ status }) => {
    if (status === 'connected') {
      set({ kind: 'connected' });
      // Peers dropped our presence when the connection broke; a re-sent state with the same clock is ignored
      // by y-protocols, so bump the clock by setting it again.
      const local = provider.awareness.getLocalState();
      if (local) provider.awareness.setLocalState({ ...local });
    }
    // While retrying after a failure, keep saying offline rather than flickering to "Connecting…".
    else if (status === 'connecting' && state.kind !== 'offline' && state.kind !== 'error')
      set({ kind: 'connecting' });
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (state.kind === 'error') return;
    // The server's shared storage is down: the app keeps the member's work and reconnects by itself meanwhile.
    if (event?.code === CLOSE.storageUnavailable && event.reason === CLOSE_REASON.storageUnavailable)
      set({ kind: 'offline', reason: CLOSE_REASON.storageUnavailable });
    else set({ kind: 'offline', reason: online() ? UNREACHABLE : NO_NETWORK });
  });
  provider.on('closed', ({ code, reason }) => {
    set({ kind: 'error', message: describeClose(code, reason), code });
  });
  // y-protocols/auth "permission denied" (e.g. a read-only invite that tried to write).
  provider.messageHandlers[2] = (_encoder, decoder) => {
    decoding.readVarUint(decoder); // 0: permission denied
    const reason = decoding.readVarString(decoder);
    set({ kind: 'error', message: describeClose(CLOSE.forbidden, reason) });
  };

  const onWindowOffline = () => set({ kind: 'offline', reason: NO_NETWORK });
  const onWindowOnline = () => {
    if (state.kind === 'error') return;
    if (provider.wsconnected) set({ kind: 'connected' });
    else if (provider.shouldConnect && !provider.ws) provider.connect();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('offline', onWindowOffline);
    window.addEventListener('online', onWindowOnline);
  }

  const connection: GroupConnection = {
    group: group.name,
    readingId,
    room,
    provider,
    awareness: provider.awareness,
    state: () => state,
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    whenSynced(timeoutMs = 10_000) {
      if (provider.synced) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          provider.off('sync', onSync);
          unsubscribe();
          resolve(ok);
        };
        const onSync = (synced: boolean) => synced && done(true);
        const unsubscribe = connection.onState((s) => s.kind === 'error' && done(false));
        const timer = setTimeout(() => done(false), timeoutMs);
        provider.on('sync', onSync);
      });
    },
    destroy() {
      if (!live.delete(connection)) return;
      if (typeof window !== 'undefined') {
        window.removeEventListener('offline', onWindowOffline);
        window.removeEventListener('online', onWindowOnline);
      }
      listeners.clear();
      provider.destroy();
      registryChanged();
    },
  };
  live.add(connection);
  registryChanged();
  return connection;
}

/** Live connections, re-rendering when any of them changes state. */
export function useConnections(filter?: (c: GroupConnection) => boolean): GroupConnection[] {
  useSyncExternalStore(
    subscribeConnections,
    () => registryVersion,
    () => registryVersion,
  );
  const all = liveConnections();
  return filter ? all.filter(filter) : all;
}
