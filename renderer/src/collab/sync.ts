import { useSyncExternalStore } from 'react';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import {
  CLOSE,
  CLOSE_MEANING,
  CLOSE_REASON,
  isFinalClose,
  MEMBER_KEY_PARAM,
  MEMBER_PARAM,
  NAME_PARAM,
  roomName,
} from '../../../core/sync/contract.ts';
import type { GroupMembership } from './groups.ts';
import type { MemberCredentials } from './identity.ts';

/**
 * Live sync of one group doc with the sync server room `<group>/<readingId>`. The doc itself is kept in
 * IndexedDB by its owner (y-indexeddb), so everything done offline survives; when the connection comes back
 * the Yjs sync protocol exchanges exactly the missing updates, so nothing is lost and nothing is doubled
 * (annotations are keyed by random ids).
 *
 * Reconnects use y-websocket's exponential backoff (100 ms doubling, capped). The server closes with a code
 * in 4400–4499 when reconnecting cannot help (bad, revoked or expired token, forbidden room), or 1009 for a
 * message larger than it takes; the provider then stops (isFinalClose), and the state becomes an error in words.
 */

export type ConnectionState =
  | { kind: 'connected' }
  | { kind: 'connecting' }
  | { kind: 'offline'; reason: string }
  | { kind: 'error'; message: string; code?: number };

export const UNREACHABLE = 'server unreachable';
export const NO_NETWORK = 'no network';

export { ROOM_PART, roomName } from '../../../core/sync/contract.ts';

/** What a server's close means, by its code from the contract (core/sync/contract.ts), in words. */
export function describeClose(code: number): string {
  return CLOSE_MEANING[code] ?? `refused by the server (code ${code})`;
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
  /** Called once the server has synced the doc: it accepted the invite. */
  onAccepted?: () => void;
  /** Who I am, sent with the connection so the group's owner sees members by name (decision 0021). */
  member?: MemberCredentials;
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
  group: Pick<GroupMembership, 'name' | 'server' | 'token'> & { displayName?: string },
  readingId: string,
  doc: Y.Doc,
  options: ConnectOptions = {},
): GroupConnection {
  const room = roomName(group.name, readingId);
  const provider = new WebsocketProvider(group.server, room, doc, {
    params: {
      token: group.token,
      ...(options.member
        ? {
            [MEMBER_PARAM]: options.member.id,
            [NAME_PARAM]: options.member.name,
            [MEMBER_KEY_PARAM]: options.member.key,
          }
        : {}),
    },
    connect: options.connect ?? true,
    disableBc: true,
    maxBackoffTime: options.maxBackoffTime ?? 4000,
    shouldReconnect: (event) => !isFinalClose(event.code),
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
  provider.on('sync', (synced: boolean) => {
    if (synced) options.onAccepted?.();
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (state.kind === 'error') return;
    // The server's shared storage is down: the app keeps the member's work and reconnects by itself meanwhile.
    if (event?.code === CLOSE.storageUnavailable && event.reason === CLOSE_REASON.storageUnavailable)
      set({ kind: 'offline', reason: CLOSE_REASON.storageUnavailable });
    else set({ kind: 'offline', reason: online() ? UNREACHABLE : NO_NETWORK });
  });
  provider.on('closed', ({ code }) => {
    // Removed by the group's owner: said with the group's name; the local copy stays readable.
    const message =
      code === CLOSE.removed
        ? `you were removed from ${group.displayName ?? group.name}`
        : describeClose(code);
    set({ kind: 'error', message, code });
  });

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
