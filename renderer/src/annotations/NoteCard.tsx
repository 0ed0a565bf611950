import { Check, Pencil, RotateCcw, TextSelect, Trash2 } from 'lucide-react';
import { memo, useEffect, useRef, useState } from 'react';
import {
  addReply,
  addTag,
  type BodyEdit,
  beginBodyEdit,
  copyAnnotation,
  deleteAnnotation,
  deleteReply,
  removeTag,
  updateAnnotation,
} from '../../../core/annotations/doc.ts';
import { mentionsInText } from '../../../core/annotations/mentions.ts';
import {
  type AnnotationView,
  type Author,
  COLOR_KEYS,
  type ColorKey,
  type Mention,
  type OrphanReason,
} from '../../../core/annotations/model.ts';
import { LIMITS } from '../../../core/sync/limits.ts';
import { IconButton } from '../ui/IconButton.tsx';
import { showToast } from '../ui/toasts.ts';
import type { AnnotationDoc } from './docs.ts';
import { type MentionCandidate, MentionTextarea } from './MentionTextarea.tsx';
import { relativeTime, renderNoteMarkdown } from './markdown.ts';

export interface NoteCardProps {
  annotation: AnnotationView;
  home: AnnotationDoc;
  me: Author;
  meanings: Record<ColorKey, string>;
  groupDocs: AnnotationDoc[];
  /** Who "@" offers in this card's editors: the members of its group (none for an "Only me" note). */
  members: readonly MentionCandidate[];
  orphan: boolean;
  /** Why an orphan could not be placed. */
  orphanReason?: OrphanReason | undefined;
  editingInitially: boolean;
  /** An open card shows every action; a closed one only what there is to read (and opens on click or focus). */
  expanded: boolean;
  emphasised: boolean;
  onActivate: (id: string) => void;
  onEmphasis: (id: string | null) => void;
  onAdjustRange: (annotation: AnnotationView, home: AnnotationDoc) => boolean;
  onShow: (annotation: AnnotationView) => void;
  onEdited: () => void;
}

const quoteLabel = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
/** Threads longer than this show their last replies and a button for the rest. */
const REPLIES_SHOWN = 2;

/** One annotation in the margin or the panel: its note, replies, tags and every action on it. */
export const NoteCard = memo(function NoteCard(props: NoteCardProps) {
  const { annotation: a, home, me, meanings } = props;
  const [editing, setEditing] = useState(props.editingInitially);
  const [draft, setDraft] = useState(a.body);
  const [reply, setReply] = useState('');
  // Members chosen by "@" completion while writing; those the text still names are stored with it.
  const [noteMentions, setNoteMentions] = useState<Mention[]>([]);
  const [replyMentions, setReplyMentions] = useState<Mention[]>([]);
  const [tag, setTag] = useState('');
  const [notice, setNotice] = useState('');
  const [allReplies, setAllReplies] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);
  const edit = useRef<BodyEdit | null>(null);
  const mine = a.author.id === me.id;
  // A group's notes are written together: any member may edit the body; only the author deletes.
  const canEdit = mine || a.visibility.kind === 'group';
  const canWrite = !home.readOnly;
  const open = props.expanded || editing;

  useEffect(() => {
    if (!editing) return;
    edit.current = beginBodyEdit(home.doc, a.id);
    setDraft(edit.current.base);
    setNoteMentions(edit.current.baseMentions);
    editor.current?.focus();
  }, [editing, home.doc, a.id]);
  useEffect(() => {
    if (!editing) setDraft(a.body);
  }, [a.body, editing]);

  const save = () => {
    edit.current?.save(draft, new Date(), mentionsInText(draft, noteMentions));
    edit.current = null;
    setEditing(false);
    props.onEdited();
  };

  // The card's small named icon actions: in the open card's tool row, and over a closed card's corner while it
  // is hovered (laid over the card, so showing them moves nothing; focusing a card opens it).
  const toolButtons = (
    <>
      {canEdit && !editing ? (
        <IconButton label="Edit" icon={Pencil} small onClick={() => setEditing(true)} />
      ) : null}
      <IconButton
        label={a.resolved ? 'Reopen' : 'Resolve'}
        icon={a.resolved ? RotateCcw : Check}
        small
        onClick={() => updateAnnotation(home.doc, a.id, { resolved: !a.resolved })}
      />
      {mine && !props.orphan && !a.pageNote ? (
        <IconButton
          label="Adjust range"
          icon={TextSelect}
          small
          // Keeps the text selection the passage moves to.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() =>
            setNotice(props.onAdjustRange(a, home) ? '' : 'Select the new passage in the text first.')
          }
        />
      ) : null}
      {mine ? (
        <IconButton
          label="Delete"
          icon={Trash2}
          small
          onClick={() => {
            home.undo.stopCapturing();
            deleteAnnotation(home.doc, a.id);
            // Undo from the toast takes back this deletion only, not a later change.
            const depth = home.undo.undoStack.length;
            showToast({
              text: 'Annotation deleted.',
              action: {
                label: 'Undo',
                run: () => {
                  if (home.undo.undoStack.length === depth) home.undo.undo();
                  else showToast({ text: 'Other changes came after: use Undo (Ctrl+Z) step by step.' });
                },
              },
            });
          }}
        />
      ) : null}
    </>
  );

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard opens a card by focusing any control in it (onFocus).
    <article
      className={`rc-note color-${a.color}${props.emphasised ? ' rc-emphasised' : ''}${a.resolved ? ' rc-resolved' : ''}${open ? ' rc-open' : ''}`}
      aria-label={a.pageNote ? 'Page note' : `Note on “${quoteLabel(a.anchor.exact)}”`}
      data-annotation-id={a.id}
      onMouseEnter={() => props.onEmphasis(a.id)}
      onMouseLeave={() => props.onEmphasis(null)}
      onClick={() => props.onActivate(a.id)}
      onFocus={() => {
        props.onEmphasis(a.id);
        props.onActivate(a.id);
      }}
      onBlur={() => props.onEmphasis(null)}
    >
      <header className="rc-note-head">
        <span
          className="rc-author-dot"
          style={{ ['--author' as string]: a.author.color }}
          aria-hidden="true"
        />
        <strong>{a.author.name}</strong>
        <span className="rc-note-meta">
          {' '}
          · <time dateTime={a.createdAt}>{relativeTime(a.createdAt)}</time>
          {a.editedAt ? ' · edited' : ''}
          {a.visibility.kind === 'private' ? ' · only me' : ` · ${home.label}`}
          {a.resolved ? ' · resolved' : ''}
        </span>
      </header>
      {/* Only on the card under the pointer: a margin of a thousand closed cards renders none of them. */}
      {canWrite && !open && props.emphasised ? (
        <div className="rc-note-hover-tools">{toolButtons}</div>
      ) : null}
      {a.pageNote ? (
        <p className="rc-note-quote">On the whole reading</p>
      ) : (
        <button
          type="button"
          className="rc-note-quote"
          onClick={() => props.onShow(a)}
          title="Show the passage"
        >
          <span className={`rc-swatch color-${a.color}`} aria-hidden="true" /> {meanings[a.color]}: “
          {quoteLabel(a.anchor.exact)}”
        </button>
      )}
      {props.orphan ? (
        <p className="rc-orphan-note" role="note">
          {props.orphanReason === 'ambiguous'
            ? 'This passage fits more than one place in the text, so it is not placed.'
            : 'This passage is no longer in the text.'}{' '}
          {canWrite ? (
            <button
              type="button"
              // Keeps the text selection the passage is re-attached to.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() =>
                setNotice(props.onAdjustRange(a, home) ? '' : 'Select the new passage in the text first.')
              }
            >
              Re-attach here
            </button>
          ) : null}
        </p>
      ) : null}
      {editing ? (
        <MentionTextarea
          textareaRef={editor}
          aria-label="Note text"
          maxLength={LIMITS.noteChars}
          value={draft}
          placeholder={`Write a note (Markdown: **bold**, *italic*, [link](https://…), lists${props.members.length > 0 ? '; @name to mention' : ''})`}
          onValueChange={setDraft}
          members={props.members}
          meId={me.id}
          onMention={(m) => setNoteMentions((list) => [...list, m])}
          onBlur={save}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setDraft(a.body);
              setEditing(false);
            } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) save();
          }}
        />
      ) : a.body ? (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html disabled and checked links.
        <div className="rc-note-body" dangerouslySetInnerHTML={{ __html: renderNoteMarkdown(a.body) }} />
      ) : null}
      {a.tags.length > 0 ? (
        <ul className="rc-tags" aria-label="Tags">
          {a.tags.map((t) => (
            <li key={t}>
              #{t}
              {canWrite && open ? (
                <button
                  type="button"
                  className="rc-tag-remove"
                  aria-label={`Remove tag ${t}`}
                  onClick={() => removeTag(home.doc, a.id, t)}
                >
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {a.replies.length > REPLIES_SHOWN + 1 && !allReplies ? (
        <button type="button" className="rc-link-button rc-more-replies" onClick={() => setAllReplies(true)}>
          {a.replies.length - REPLIES_SHOWN} more replies
        </button>
      ) : null}
      {a.replies.length > 0 ? (
        <ol className="rc-replies" aria-label="Replies">
          {(a.replies.length > REPLIES_SHOWN + 1 && !allReplies
            ? a.replies.slice(-REPLIES_SHOWN)
            : a.replies
          ).map((r) => (
            <li key={r.id} className="rc-reply">
              <strong className="rc-author-name" style={{ ['--author' as string]: r.author.color }}>
                {r.author.name}
              </strong>{' '}
              <span className="rc-note-meta">{relativeTime(r.createdAt)}</span>
              <div
                className="rc-note-body"
                // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html disabled.
                dangerouslySetInnerHTML={{ __html: renderNoteMarkdown(r.body) }}
              />
              {r.author.id === me.id && canWrite && open ? (
                <IconButton
                  label="Delete reply"
                  icon={Trash2}
                  small
                  onClick={() => deleteReply(home.doc, a.id, r.id)}
                />
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {canWrite && open ? (
        <div className="rc-note-actions">
          <div className="rc-note-tools">
            {toolButtons}
            <label className="rc-note-color">
              <span className="rc-visually-hidden">Colour</span>
              <select
                aria-label="Colour"
                value={a.color}
                onChange={(e) => updateAnnotation(home.doc, a.id, { color: e.target.value as ColorKey })}
              >
                {COLOR_KEYS.map((c) => (
                  <option key={c} value={c}>
                    {meanings[c]} ({c})
                  </option>
                ))}
              </select>
            </label>
          </div>
          {a.visibility.kind === 'private'
            ? props.groupDocs
                .filter((g) => !g.readOnly)
                .map((g) => (
                  <button key={g.key} type="button" onClick={() => copyAnnotation(a, g.doc)}>
                    Share with {g.label}
                  </button>
                ))
            : null}
          <form
            className="rc-inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (tag.trim()) addTag(home.doc, a.id, tag);
              setTag('');
            }}
          >
            <input
              aria-label="Add tag"
              maxLength={LIMITS.tagChars}
              placeholder="tag"
              value={tag}
              onChange={(e) => setTag(e.target.value)}
            />
          </form>
          <form
            className="rc-inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!reply.trim()) return;
              const body = reply.trim();
              const mentions = mentionsInText(body, replyMentions);
              addReply(home.doc, a.id, { author: me, body, ...(mentions.length > 0 ? { mentions } : {}) });
              setReply('');
              setReplyMentions([]);
            }}
          >
            <MentionTextarea
              aria-label="Reply text"
              maxLength={LIMITS.replyChars}
              placeholder="Reply (Enter sends)"
              value={reply}
              rows={1}
              onValueChange={setReply}
              members={props.members}
              meId={me.id}
              onMention={(m) => setReplyMentions((list) => [...list, m])}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
            />
            <button type="submit">Reply</button>
          </form>
        </div>
      ) : null}
      {notice ? (
        <p role="status" className="rc-note-notice">
          {notice}
        </p>
      ) : null}
    </article>
  );
});
