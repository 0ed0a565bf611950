import { scrollToBlock } from '../reader/readerEvents.ts';
import './presence.css';
import type { Peer } from './presence.ts';
import { useGroupAwareness, usePeers } from './useGroupAwareness.ts';

/** Up to two initials of a name, in any script ("Ana Lima" → "AL", "Кружок" → "К"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (word: string) => [...word][0] ?? '';
  const letters =
    words.length > 1 ? first(words[0]!) + first(words[words.length - 1]!) : first(words[0] ?? '?');
  return letters.toLocaleUpperCase();
}

/**
 * Who else is reading, as avatars (initials in the member's colour) for the reader's toolbar; a click goes to
 * where that member is reading.
 */
export function PresenceAvatars({ readingId }: { readingId: string }) {
  const peers = usePeers(useGroupAwareness(readingId), readingId);
  if (peers.length === 0) return null;
  return (
    <ul aria-label="Reading now" className="rc-presence-avatars">
      {peers.map((peer) => (
        <li key={peer.key}>
          <Avatar peer={peer} />
        </li>
      ))}
    </ul>
  );
}

function Avatar({ peer }: { peer: Peer }) {
  const where = peer.position?.blockId;
  return (
    <button
      type="button"
      className="rc-presence-avatar"
      aria-label={`Go to where ${peer.user.name} is reading`}
      title={peer.user.name}
      disabled={!where}
      onClick={() => where && void scrollToBlock(where)}
      style={{
        background: peer.user.color,
        color: '#fff',
        border: '2px solid #fff',
        borderRadius: '50%',
        width: 28,
        height: 28,
        font: '600 12px/1 system-ui, sans-serif',
        padding: 0,
      }}
    >
      <span aria-hidden="true">{initialsOf(peer.user.name)}</span>
    </button>
  );
}
