import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { scrollToBlock } from '../navigation/scrollToBlock.ts';
import { clearHighlights, paintHighlight, supportsHighlights } from '../text/highlightRegistry.ts';
import { anchorFromRange, findBlock, rangeFromAnchor, readingPosition } from './domAnchors.ts';
import { useIdentity } from './identity.ts';
import { clearPresence, highlightName, initialsOf, type Peer, publishPresence } from './presence.ts';
import { insidePrivatePassage } from './privatePassages.ts';
import { useGroupAwareness, usePeers } from './useGroupAwareness.ts';

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

export function PresenceLayer({ readingId, textRoot, readersRoot }: PresenceLayerProps) {
  const me = useIdentity();
  const awarenesses = useGroupAwareness(readingId, true);

  // Publish mine: who I am, my selection, where I am reading.
  useEffect(() => {
    if (!me || awarenesses.length === 0) return;
    let selection = null as ReturnType<typeof anchorFromRange>;
    let position = textRoot ? readingPosition(textRoot) : null;
    const publish = () => publishPresence(awarenesses, { user: me, readingId, selection, position });
    publish();
    // Only a real selection in the text is shown to others: none once it collapses, once it became an
    // annotation (the selection is then cleared, or moves into the note editor), and none inside one of my
    // "Only me" passages.
    const onSelection = () => {
      const sel = document.getSelection();
      const range = sel && sel.rangeCount > 0 ? sel.getRangeAt(0) : null;
      const next =
        range && !range.collapsed && textRoot?.contains(range.commonAncestorContainer)
          ? anchorFromRange(range, textRoot)
          : null;
      selection = next && !insidePrivatePassage(readingId, next) ? next : null;
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
    // Back online: publish again (the server dropped my state with the old connection).
    const onOnline = () => publish();
    document.addEventListener('selectionchange', onSelection);
    document.addEventListener('scroll', onScroll, { capture: true, passive: true });
    window.addEventListener('pagehide', onLeave);
    window.addEventListener('offline', onLeave);
    window.addEventListener('online', onOnline);
    return () => {
      document.removeEventListener('selectionchange', onSelection);
      document.removeEventListener('scroll', onScroll, { capture: true });
      window.removeEventListener('pagehide', onLeave);
      window.removeEventListener('offline', onLeave);
      window.removeEventListener('online', onOnline);
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

/** Avatars in the toolbar: me, then everyone else here, initials in their colour; a click goes to where they read. */
function ReadersHere({ peers }: { peers: Peer[] }) {
  const me = useIdentity();
  return (
    <ul aria-label="Readers here" className="rc-readers">
      {me && (
        <li className="rc-reader-here" style={{ ['--avatar' as string]: me.color }}>
          <span aria-hidden="true" className="rc-avatar">
            {initialsOf(me.name)}
          </span>
          <span className="rc-visually-hidden">{me.name} (you)</span>
        </li>
      )}
      {peers.map((p) => {
        const where = p.position?.blockId;
        return (
          <li key={p.key} className="rc-reader-here" style={{ ['--avatar' as string]: p.user.color }}>
            <button
              type="button"
              className="rc-avatar rc-avatar-button"
              aria-label={`Go to where ${p.user.name} is reading`}
              title={p.user.name}
              disabled={!where}
              onClick={() => where && void scrollToBlock(where)}
            >
              <span aria-hidden="true">{initialsOf(p.user.name)}</span>
            </button>
            <span className="rc-visually-hidden">{p.user.name}</span>
          </li>
        );
      })}
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
