/**
 * Whether an address answers like Coupa, from what its first answers show without signing in.
 * Tolerant on purpose (customers theme and localize their Coupa, and some put it behind their
 * own domain): one mark is enough. Pure.
 */
export interface HostAnswer {
  /** The address asked. */
  readonly url: string;
  readonly status: number;
  /** `Location` of a redirect, resolved; null otherwise. */
  readonly location: string | null;
  /** Names of the cookies the answer sets. */
  readonly cookieNames: readonly string[];
  /** The start of the body (HTML), or ''. */
  readonly body: string;
}

export type HostVerdict = { readonly coupa: true; readonly mark: string } | { readonly coupa: false; readonly shown: string };

const COUPA_HOSTS = /(^|\.)(coupahost|coupacloud)\.com$/i;
const COUPA_PATHS = /^\/(sessions\/(new|saml|sso)|user\/home|order_headers|requisition_headers|oauth2)/i;

/** The first mark of Coupa among the answers, or what was shown instead (a title, a status). */
export function recogniseCoupa(answers: readonly HostAnswer[]): HostVerdict {
  for (const answer of answers) {
    if (answer.cookieNames.some((name) => /^_coupa_session$/i.test(name))) return { coupa: true, mark: 'its session cookie' };
    if (answer.location !== null) {
      const next = safeUrl(answer.location);
      if (next !== null && COUPA_HOSTS.test(next.hostname)) return { coupa: true, mark: `a redirect to ${next.host}` };
      if (next !== null && COUPA_PATHS.test(next.pathname)) return { coupa: true, mark: `a redirect to ${next.pathname}` };
    }
    const body = answer.body;
    if (/<form[^>]+id=["']?login_form|name=["']user\[login\]/i.test(body)) return { coupa: true, mark: 'its sign-in form' };
    if (/<html[^>]+data-controller=/i.test(body)) return { coupa: true, mark: 'its page frame' };
    if (/coupa/i.test(body)) return { coupa: true, mark: 'its name on the page' };
  }
  const last = answers.at(-1);
  if (last === undefined) return { coupa: false, shown: 'nothing' };
  const title = /<title[^>]*>([^<]{0,120})/i.exec(last.body)?.[1]?.replace(/\s+/g, ' ').trim() ?? '';
  return { coupa: false, shown: `HTTP ${last.status}${title === '' ? '' : ` "${title}"`} at ${last.url}` };
}

/** A server error says nothing about who answers: the run finds out later. */
export function isConclusive(answers: readonly HostAnswer[]): boolean {
  const last = answers.at(-1);
  return last !== undefined && last.status < 500;
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
