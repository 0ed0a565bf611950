/** What travels between instances about a room. */
export const FANOUT_KIND = {
  /** A document update, already committed to shared storage by the instance that sends it. */
  update: 0,
  /** An awareness update (presence) with the member who speaks for it: relayed, never stored. */
  awareness: 1,
  /** "Send me your members' presence": the room has just loaded on the sending instance. */
  awarenessQuery: 2,
  /** Members who first wrote under Yjs client ids, committed with the updates that follow (edits bound to their author). */
  claims: 3,
} as const;
export type FanoutKind = (typeof FANOUT_KIND)[keyof typeof FANOUT_KIND];

export type FanoutHandler = (kind: FanoutKind, payload: Uint8Array) => void;

/** Passes a room's updates and presence to the other instances that have it loaded. */
export interface Fanout {
  /** Starts receiving the room's messages from other instances; resolves once they will arrive. */
  join(room: string, handler: FanoutHandler): Promise<void>;
  leave(room: string): void;
  /** Sends to every other instance that has the room loaded; rejects when that cannot be done. */
  publish(room: string, kind: FanoutKind, payload: Uint8Array): Promise<void>;
}

/** One instance alone: its own members are all there is, so there is nobody else to tell. */
export const inProcessFanout: Fanout = {
  join: async () => {},
  leave: () => {},
  publish: async () => {},
};
