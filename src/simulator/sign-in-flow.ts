import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCookie, sessionCookie, type Session, type SessionStore } from './session-store.ts';
import { idpLoginPage, passwordFormPage, samlPostPage, samlRequestPage } from './sign-in-pages.ts';
import type { ResolvedOptions } from './simulator-options.ts';

const IDP_COOKIE = 'idp_session';

export interface SignInFlowOptions {
  readonly auth: ResolvedOptions['auth'];
  readonly sessions: SessionStore;
  readonly baseUrl: string;
  /** The identity provider's origin: same server, different host, like a real IdP. */
  readonly idpOrigin: string;
  readonly onSignIn: () => void;
}

/**
 * Sign-in as Coupa does it. Password: `/sessions/new` form, POST `/sessions`. SSO: `/sessions/new`
 * sends the browser to the IdP origin, whose "Sign in" posts back a one-time SAML response to
 * `/sessions/saml_post`, which sets `_coupa_session` and redirects to the page first asked for.
 * The IdP remembers the browser (its own cookie), so after an expiry the chain runs without a click.
 */
export class SignInFlow {
  readonly #options: SignInFlowOptions;
  readonly #samlResponses = new Set<string>();

  constructor(options: SignInFlowOptions) {
    this.#options = options;
  }

  /** The signed-in session for a protected request, or undefined after answering with the sign-in redirect. */
  guard(req: IncomingMessage, res: ServerResponse, path: string): Session | 'open' | undefined {
    if (this.#options.auth.mode === 'none') return 'open';
    const session = this.#options.sessions.signedIn(this.#options.sessions.fromCookieHeader(req.headers.cookie));
    if (session !== undefined) return session;
    redirect(res, `/sessions/new?return_to=${encodeURIComponent(path)}`);
    return undefined;
  }

  /** Answers sign-in routes on the Coupa origin; false when the path is not one of them. */
  async handleCoupa(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const { auth, sessions } = this.#options;
    const returnTo = safeReturnPath(url.searchParams.get('return_to'));
    if (req.method === 'GET' && url.pathname === '/sessions/new') {
      if (auth.mode === 'sso') {
        redirect(res, `${this.#options.idpOrigin}/idp/login?RelayState=${encodeURIComponent(returnTo)}`);
        return true;
      }
      const session = sessions.fromCookieHeader(req.headers.cookie) ?? sessions.create(false);
      html(res, 200, passwordFormPage(session.csrfToken, returnTo, null), sessionCookie(session));
      return true;
    }
    if (req.method === 'POST' && url.pathname === '/sessions' && auth.mode === 'password') {
      const form = await readForm(req);
      const session = sessions.fromCookieHeader(req.headers.cookie);
      const target = safeReturnPath(form.get('return_to'));
      if (session === undefined || form.get('authenticity_token') !== session.csrfToken) {
        html(res, 422, passwordFormPage(session?.csrfToken ?? '', target, 'Your session has expired. Please sign in again.'));
        return true;
      }
      if (form.get('user[login]') !== auth.username || form.get('user[password]') !== auth.password) {
        html(res, 200, passwordFormPage(session.csrfToken, target, 'Invalid login or password.'));
        return true;
      }
      this.#signedIn(res, session, target);
      return true;
    }
    if (req.method === 'POST' && url.pathname === '/sessions/saml_post' && auth.mode === 'sso') {
      const form = await readForm(req);
      const response = form.get('SAMLResponse') ?? '';
      if (!this.#samlResponses.delete(response)) {
        html(res, 403, '<!DOCTYPE html><html><body><div class="flash_error">SAML response not valid.</div></body></html>');
        return true;
      }
      this.#signedIn(res, sessions.fromCookieHeader(req.headers.cookie), safeReturnPath(form.get('RelayState')));
      return true;
    }
    return false;
  }

  /** Answers the identity provider's routes (on the IdP origin only). */
  async handleIdp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const remembered = readCookie(req.headers.cookie, IDP_COOKIE) === '1';
    if (req.method === 'GET' && url.pathname === '/idp/login') {
      const relayState = safeReturnPath(url.searchParams.get('RelayState'));
      html(res, 200, remembered ? this.#samlPost(relayState) : idpLoginPage(relayState));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/idp/saml_request') {
      const relayState = safeReturnPath((await readForm(req)).get('RelayState'));
      html(res, 200, remembered ? this.#samlPost(relayState) : idpLoginPage(relayState));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/idp/authorize') {
      const form = await readForm(req);
      html(res, 200, this.#samlPost(safeReturnPath(form.get('RelayState'))), `${IDP_COOKIE}=1; Path=/; HttpOnly; SameSite=Lax`);
      return;
    }
    html(res, 404, '<!DOCTYPE html><html><body><h1>Not found</h1></body></html>');
  }

  /**
   * The HTML bounce a file URL answers when the session looks expired: an auto-submitting form to
   * the IdP (SSO) or to the sign-in page (other modes), which brings the browser back to `returnPath`.
   */
  bouncePage(returnPath: string): string {
    const { auth, idpOrigin, baseUrl } = this.#options;
    const request = Buffer.from(`<samlp:AuthnRequest ID="_${randomBytes(8).toString('hex')}"/>`).toString('base64');
    if (auth.mode === 'sso') return samlRequestPage(`${idpOrigin}/idp/saml_request`, 'post', { SAMLRequest: request, RelayState: returnPath });
    return samlRequestPage(`${baseUrl}/sessions/new`, 'get', { return_to: returnPath });
  }

  #samlPost(relayState: string): string {
    const response = Buffer.from(`<samlp:Response ID="_${randomBytes(16).toString('hex')}"/>`).toString('base64');
    this.#samlResponses.add(response);
    return samlPostPage(`${this.#options.baseUrl}/sessions/saml_post`, response, relayState);
  }

  #signedIn(res: ServerResponse, previous: Session | undefined, target: string): void {
    const session = this.#options.sessions.signIn(previous);
    this.#options.onSignIn();
    res.writeHead(302, { location: target, 'set-cookie': sessionCookie(session), 'content-length': '0' });
    res.end();
  }
}

/** Only local paths: a return address must never send the browser to another site. */
export function safeReturnPath(value: string | null): string {
  if (value === null || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/user/home';
  return value;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': '0', 'cache-control': 'no-store' });
  res.end();
}

function html(res: ServerResponse, status: number, body: string, cookie?: string): void {
  const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store' };
  if (cookie !== undefined) headers['set-cookie'] = cookie;
  res.writeHead(status, headers);
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > 65_536) throw new Error('Expected a sign-in form under 64 KB.');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
