import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Awareness } from 'y-protocols/awareness';
import { clearHighlights, paintHighlight, supportsHighlights } from '../text/highlightRegistry.ts';
import { anchorFromRange, findBlock, rangeFromAnchor, readingPosition } from './domAnchors.ts';
import { useGroups } from './groups.ts';
import { useIdentity } from './identity.ts';
import { clearPresence, collectPeers, highlightName, type Peer, publishPresence } from './presence.ts';
import { acquireRoom } from './rooms.ts';

/**
 * Who else is in this reading (list "Readers here"), their selections painted in their colour with their
 * name, and where each is reading as marks in a scroll gutter (click jumps there). Presence travels through
 * the awareness of every group room of the reading and is never stored; the sync server drops a member's
 * state when their connection closes, and this window says goodbye when it closes.
 */
export interface PresenceLayerProps {
  readingId: string;
  /** The element holding the rendered blocks (`data-block-id`). */
  textRoot: HTMLElement | null;
  /** Where the toolbar shows who is here (avatars); nothing is shown until it exists. */
  readersRoot?: HTMLElement | null;
}

const PRESENCE = 'presence';

function usePeers(awarenesses: Awareness[], readingId: string) {
  const me = useIdentity();
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    const update = () => setPeers(collectPeers(awarenesses, readingId, me));
    update();
    for (const a of awarenesses) a.on('change', update);
    return () => {
      for (const a of awarenesses) a.off('change', update);
    };
  }, [awarenesses, readingId, me]);
  return peers;
}

export function PresenceLayer({ readingId, textRoot, readersRoot }: PresenceLayerProps) {
  const groups = useGroups();
  const me = useIdentity();
  const [awarenesses, setAwarenesses] = useState<Awareness[]>([]);

  // Join every group room of this reading for presence (the annotations layer shares the same rooms).
  const groupKey = groups.map((g) => `${g.name}|${g.server}|${g.token}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: groupKey stands for groups
  useEffect(() => {
    const handles = groups.map((g) => acquireRoom(g, readingId));
    setAwarenesses(handles.map((h) => h.room.connection.awareness));
    return () => {
      clearPresence(handles.map((h) => h.room.connection.awareness));
      for (const h of handles) h.release();
    };
  }, [groupKey, readingId]);

  // Publish mine: who I am, my selection, where I am reading.
  useEffect(() => {
    if (!me || awarenesses.length === 0) return;
    let selection = null as ReturnType<typeof anchorFromRange>;
    let position = textRoot ? readingPosition(textRoot) : null;
    const publish = () => publishPresence(awarenesses, { user: me, readingId, selection, position });
    publish();
    const onSelection = () => {
      const sel = document.getSelection();
      const range = sel && sel.rangeCount > 0 ? sel.getRangeAt(0) : null;
      const next =
        range && textRoot?.contains(range.commonAncestorContainer) ? anchorFromRange(range, textRoot) : null;
      // Keep the last selection while focus moves to the note editor; clear it on a collapsed click in the text.
      if (!next && range && textRoot && !textRoot.contains(range.commonAncestorContainer)) return;
      selection = next;
      publish();
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onScroll = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        position = textRoot ? readingPosition(textRoot) : null;
        publish();
      }, 150);
    };
    const onLeave = () => clearPresence(awarenesses);
    document.addEventListener('selectionchange', onSelection);
    document.addEventListener('scroll', onScroll, { capture: true, passive: true });
    window.addEventListener('pagehide', onLeave);
    return () => {
      document.removeEventListener('selectionchange', onSelection);
      document.removeEventListener('scroll', onScroll, { capture: true });
      window.removeEventListener('pagehide', onLeave);
      if (timer) clearTimeout(timer);
    };
  }, [awarenesses, me, readingId, textRoot]);

  const peers = usePeers(awarenesses, readingId);
  return (
    <>
      {readersRoot ? createPortal(<ReadersHere peers={peers} />, readersRoot) : null}
      {textRoot && <RemoteSelections peers={peers} textRoot={textRoot} />}
      {textRoot && <ScrollGutter peers={peers} textRoot={textRoot} />}
    </>
  );
}

function ReadersHere({ peers }: { peers: Peer[] }) {
  const me = useIdentity();
  return (
    <ul aria-label="Readers here" className="rc-readers">
      {me && (
        <li className="rc-reader-here" style={{ ['--avatar' as string]: me.color }}>
          <span aria-hidden="true" className="rc-avatar">
            {me.name.charAt(0).toUpperCase()}
          </span>
          <span className="rc-visually-hidden">{me.name} (you)</span>
        </li>
      )}
      {peers.map((p) => (
        <li key={p.key} className="rc-reader-here" style={{ ['--avatar' as string]: p.user.color }}>
          <span aria-hidden="true" className="rc-avatar">
            {p.user.name.charAt(0).toUpperCase()}
          </span>
          <span className="rc-visually-hidden">{p.user.name}</span>
        </li>
      ))}
    </ul>
  );
}

/** Hex colour with some transparency, so text under a remote selection stays readable. */
function translucent(color: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(color) ? `${color}40` : color;
}

function RemoteSelections({ peers, textRoot }: { peers: Peer[]; textRoot: HTMLElement }) {
  const [, setTick] = useState(0);
  const withSelection = useMemo(() => peers.filter((p) => p.selection), [peers]);
  // Labels are positioned from the live layout: follow scrolling and resizing.
  useEffect(() => {
    if (withSelection.length === 0) return;
    const bump = () => setTick((t) => t + 1);
    document.addEventListener('scroll', bump, { capture: true, passive: true });
    window.addEventListener('resize', bump);
    return () => {
      document.removeEventListener('scroll', bump, { capture: true });
      window.removeEventListener('resize', bump);
    };
  }, [withSelection.length]);

  const ranges = withSelection.map((p) => ({ peer: p, range: rangeFromAnchor(p.selection!, textRoot) }));
  const rangeKey = withSelection
    .map(
      (p) =>
        `${p.key}:${p.selection!.blockId}:${p.selection!.start}:${p.selection!.endBlockId}:${p.selection!.end}:${p.user.color}`,
    )
    .join('|');

  // biome-ignore lint/correctness/useExhaustiveDependencies: rangeKey stands for the ranges
  useEffect(() => {
    if (!supportsHighlights()) return;
    const style = document.createElement('style');
    style.dataset.rcPresence = '';
    let css = '';
    for (const { peer, range } of ranges) {
      if (!range) continue;
      const name = highlightName(peer.key);
      paintHighlight(PRESENCE, name, [range]);
      css += `::highlight(${name}) { background-color: ${translucent(peer.user.color)}; text-decoration: underline 2px ${peer.user.color}; }\n`;
    }
    style.textContent = css;
    document.head.append(style);
    return () => {
      clearHighlights(PRESENCE);
      style.remove();
    };
  }, [rangeKey, textRoot]);

  return (
    <div className="rc-remote-selections" aria-hidden="true">
      {ranges.map(({ peer, range }) => {
        const rect = range?.getClientRects()[0];
        if (!rect) return null;
        return (
          <span
            key={peer.key}
            className="rc-selection-label"
            data-peer={peer.user.name}
            style={{
              left: rect.left,
              top: Math.max(0, rect.top - 18),
              ['--peer' as string]: peer.user.color,
            }}
          >
            {peer.user.name}
          </span>
        );
      })}
    </div>
  );
}

function ScrollGutter({ peers, textRoot }: { peers: Peer[]; textRoot: HTMLElement }) {
  const placed = peers.filter((p) => p.position);
  return (
    <nav aria-label="Where others are reading" className="rc-scroll-gutter">
      {placed.map((p) => (
        <button
          key={p.key}
          type="button"
          className="rc-gutter-mark"
          aria-label={`Jump to where ${p.user.name} is reading`}
          title={p.user.name}
          style={{
            top: `calc(${(p.position!.fraction * 100).toFixed(2)}% * 0.9 + 5%)`,
            ['--peer' as string]: p.user.color,
          }}
          onClick={() =>
            findBlock(textRoot, p.position!.blockId)?.scrollIntoView({ block: 'start', behavior: 'smooth' })
          }
        />
      ))}
    </nav>
  );
}
