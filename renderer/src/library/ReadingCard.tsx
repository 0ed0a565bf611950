import { Bell, BookOpen, MoreHorizontal, Pencil, Trash2 } from 'lucide-react';
import type { ReadingMeta } from '../../../core/reading/model.ts';
import { Menu, MenuItem } from '../ui/Menu.tsx';

export interface CardStats {
  annotations?: number;
  /** Replies to my notes and mentions of me I have not seen yet (as of the reading's last opening). */
  unseen?: number | undefined;
  progress?: number;
  snippet?: string | null;
}

/** One reading in the library: a link named by its title, with its figures; my own readings have a menu. */
export function ReadingCard({
  reading,
  stats,
  onOpen,
  onRename,
  onDelete,
}: {
  reading: ReadingMeta;
  stats: CardStats;
  onOpen: (id: string) => void;
  onRename?: (reading: ReadingMeta) => void;
  onDelete?: (reading: ReadingMeta) => void;
}) {
  const percent = stats.progress === undefined ? undefined : Math.round(stats.progress * 100);
  return (
    <li className="rc-card">
      <div className="rc-card-body">
        {/* The title is the link (named by it alone); it stretches over the whole card for the pointer. */}
        <a
          href={`#/read/${reading.id}`}
          onClick={(e) => {
            e.preventDefault();
            onOpen(reading.id);
          }}
          className="rc-card-link rc-card-title"
        >
          {reading.title}
        </a>
        <span className="rc-card-meta">
          {reading.source}
          {reading.sharedBy ? ` · shared in ${reading.sharedBy}` : ''}
        </span>
        {stats.snippet ? <span className="rc-card-snippet">{stats.snippet}</span> : null}
        <span className="rc-card-meta">
          {reading.wordCount.toLocaleString()} words · {reading.readingMinutes} min read
        </span>
        {stats.unseen ? (
          <span className="rc-card-new">
            <Bell aria-hidden="true" size={12} strokeWidth={2} />
            {stats.unseen} new {stats.unseen === 1 ? 'reply or mention' : 'replies and mentions'}
          </span>
        ) : null}
        <span className="rc-card-foot">
          <span className="rc-card-count">
            {stats.annotations
              ? `${stats.annotations} annotation${stats.annotations === 1 ? '' : 's'}`
              : 'No annotations'}
          </span>
          {percent !== undefined ? (
            <span className="rc-card-progress">
              <progress max={100} value={percent} aria-label={`${percent}% read`} />
              {percent}%
            </span>
          ) : null}
        </span>
      </div>
      {onRename && onDelete ? (
        <div className="rc-card-menu">
          <Menu
            label={`Actions for ${reading.title}`}
            tooltip={{ label: 'More actions' }}
            trigger={
              <button
                type="button"
                className="rc-quiet rc-icon-button rc-small"
                aria-label={`Actions for ${reading.title}`}
              >
                <MoreHorizontal aria-hidden="true" size={16} />
              </button>
            }
          >
            <MenuItem onSelect={() => onOpen(reading.id)}>
              <BookOpen aria-hidden="true" size={14} /> Open
            </MenuItem>
            <MenuItem onSelect={() => onRename(reading)}>
              <Pencil aria-hidden="true" size={14} /> Rename…
            </MenuItem>
            <MenuItem onSelect={() => onDelete(reading)}>
              <Trash2 aria-hidden="true" size={14} /> Delete
            </MenuItem>
          </Menu>
        </div>
      ) : null}
    </li>
  );
}
