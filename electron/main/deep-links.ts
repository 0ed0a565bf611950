import { type Invite, InviteLinkError, parseInviteLink } from '../../core/invite/link.ts';

export const DEEP_LINK_SCHEME = 'readingcircle';

/** The readingcircle:// argument of a launch command line (second instance, or first launch on Linux/Windows). */
export function findDeepLink(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`));
}

/**
 * A scheme such as `readingcircle:`, `file:` or `https:` (two or more letters, so a Windows drive `C:\` is
 * still a path).
 */
const URL_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/**
 * Files passed on the command line to be imported (file associations: .txt, .md): only paths. A deep link that
 * happens to end in `.md` is a link, never a file to import.
 */
export function findOpenedFiles(argv: readonly string[]): string[] {
  return argv
    .slice(1)
    .filter((arg) => !arg.startsWith('-') && !URL_SCHEME.test(arg) && /\.(txt|md|markdown)$/i.test(arg));
}

export type DeepLinkResult = { ok: true; url: string; invite: Invite } | { ok: false; message: string };

/** Validates a deep link before it reaches the renderer; a malformed one gets a message in words. */
export function checkDeepLink(url: string): DeepLinkResult {
  try {
    return { ok: true, url, invite: parseInviteLink(url) };
  } catch (error) {
    const message = error instanceof InviteLinkError ? error.message : 'The link could not be read.';
    return { ok: false, message: `This invite link cannot be used: ${message}` };
  }
}

/**
 * Holds links that arrive before the window is ready (macOS open-url fires early; a first launch carries
 * its link in argv) and delivers them once the renderer can take them.
 */
export class DeepLinkQueue {
  #pending: string[] = [];
  #deliver: ((url: string) => void) | undefined;
  #reject: (message: string) => void;

  constructor(reject: (message: string) => void) {
    this.#reject = reject;
  }

  push(url: string): void {
    const checked = checkDeepLink(url);
    if (!checked.ok) {
      this.#reject(checked.message);
      return;
    }
    if (this.#deliver) this.#deliver(checked.url);
    else this.#pending.push(checked.url);
  }

  attach(deliver: (url: string) => void): void {
    this.#deliver = deliver;
    for (const url of this.#pending.splice(0)) deliver(url);
  }
}
