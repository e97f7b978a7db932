import { randomBytes } from 'node:crypto';
import type { ResolvedOptions } from './simulator-options.ts';

export const SESSION_COOKIE = '_coupa_session';

export interface Session {
  readonly id: string;
  readonly csrfToken: string;
  signedIn: boolean;
  signedInAt: number;
  pageViews: number;
}

/**
 * Server-side sessions keyed by the `_coupa_session` cookie. A session ends after the configured
 * number of protected page views or time; the next protected request then signs in again.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #auth: ResolvedOptions['auth'];
  readonly #now: () => number;

  constructor(auth: ResolvedOptions['auth'], now: () => number = Date.now) {
    this.#auth = auth;
    this.#now = now;
  }

  create(signedIn: boolean): Session {
    const session: Session = {
      id: randomBytes(18).toString('base64url'),
      csrfToken: randomBytes(24).toString('base64'),
      signedIn,
      signedInAt: this.#now(),
      pageViews: 0,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  fromCookieHeader(header: string | undefined): Session | undefined {
    const id = readCookie(header, SESSION_COOKIE);
    return id === undefined ? undefined : this.#sessions.get(id);
  }

  /** A signed-in, unexpired session, or undefined (an expired one is dropped). */
  signedIn(session: Session | undefined): Session | undefined {
    if (session === undefined || !session.signedIn) return undefined;
    const { expireAfterPageViews, expireAfterMs } = this.#auth;
    const viewsUsed = expireAfterPageViews !== undefined && session.pageViews >= expireAfterPageViews;
    const timeUsed = expireAfterMs !== undefined && this.#now() - session.signedInAt >= expireAfterMs;
    if (viewsUsed || timeUsed) {
      this.#sessions.delete(session.id);
      return undefined;
    }
    return session;
  }

  /** Signing in issues a fresh session id (as Rails does), so an old cookie never becomes valid. */
  signIn(previous: Session | undefined): Session {
    if (previous !== undefined) this.#sessions.delete(previous.id);
    return this.create(true);
  }

  remove(session: Session): void {
    this.#sessions.delete(session.id);
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export function sessionCookie(session: Session): string {
  return `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax`;
}
