import { readFile } from 'node:fs/promises';
import { CoupaDlError } from '../domain/errors.ts';

export const CLIENT_ID_VARIABLE = 'COUPA_CLIENT_ID';
export const CLIENT_SECRET_VARIABLE = 'COUPA_CLIENT_SECRET';

const HIDDEN = '[hidden]';

/**
 * An OAuth client's id and secret. The secret is private and every way of printing the object
 * (JSON, `util.inspect`, string) hides it, so a log line or an error report cannot leak it.
 */
export class ApiCredentials {
  readonly clientId: string;
  readonly #clientSecret: string;

  constructor(clientId: string, clientSecret: string) {
    this.clientId = clientId;
    this.#clientSecret = clientSecret;
  }

  /** The form fields of a token request: the only place the secret goes. */
  tokenRequestFields(): [string, string][] {
    return [
      ['client_id', this.clientId],
      ['client_secret', this.#clientSecret],
    ];
  }

  toJSON(): { clientId: string; clientSecret: string } {
    return { clientId: this.clientId, clientSecret: HIDDEN };
  }

  toString(): string {
    return `API client ${this.clientId}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ApiCredentials { clientId: '${this.clientId}', clientSecret: ${HIDDEN} }`;
  }
}

const WHAT_TO_DO = `Set ${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE}, or give a credentials file with those two lines (KEY=value) or a JSON object {"client_id": "…", "client_secret": "…"}. Your Coupa administrator creates the OAuth client (Setup > OAuth2/OpenID Connect Clients).`;

/**
 * The API credentials, from the file when a path is given, else from `COUPA_CLIENT_ID` and
 * `COUPA_CLIENT_SECRET`. Null when neither is configured (the browser is the way in then);
 * `CONFIG_INVALID` when they are half there or the file is unreadable or malformed. Messages
 * never contain the secret.
 */
export async function loadApiCredentials(env: Readonly<Record<string, string | undefined>>, filePath?: string): Promise<ApiCredentials | null> {
  if (filePath !== undefined) return fromFile(filePath);
  const clientId = env[CLIENT_ID_VARIABLE]?.trim() ?? '';
  const clientSecret = env[CLIENT_SECRET_VARIABLE]?.trim() ?? '';
  if (clientId === '' && clientSecret === '') return null;
  if (clientId === '') throw new CoupaDlError('CONFIG_INVALID', `${CLIENT_SECRET_VARIABLE} is set but ${CLIENT_ID_VARIABLE} is not.`, { hint: WHAT_TO_DO });
  if (clientSecret === '') throw new CoupaDlError('CONFIG_INVALID', `${CLIENT_ID_VARIABLE} is set but ${CLIENT_SECRET_VARIABLE} is not.`, { hint: WHAT_TO_DO });
  return new ApiCredentials(clientId, clientSecret);
}

async function fromFile(filePath: string): Promise<ApiCredentials> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CoupaDlError('CONFIG_INVALID', `Could not read the API credentials file ${filePath} (${code}).`, { cause: error, hint: WHAT_TO_DO });
  }
  const fields = text.trimStart().startsWith('{') ? jsonFields(text) : lineFields(text);
  const clientId = fields?.clientId?.trim() ?? '';
  const clientSecret = fields?.clientSecret?.trim() ?? '';
  const missing = [clientId === '' ? 'the client id' : null, clientSecret === '' ? 'the client secret' : null].filter((part) => part !== null);
  if (missing.length > 0) throw new CoupaDlError('CONFIG_INVALID', `The API credentials file ${filePath} does not give ${missing.join(' or ')}.`, { hint: WHAT_TO_DO });
  return new ApiCredentials(clientId, clientSecret);
}

interface Fields {
  clientId?: string;
  clientSecret?: string;
}

function jsonFields(text: string): Fields | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const record = parsed as Record<string, unknown>;
  const stringAt = (...keys: string[]) => keys.map((key) => record[key]).find((value): value is string => typeof value === 'string');
  const fields: Fields = {};
  const clientId = stringAt('client_id', 'clientId', CLIENT_ID_VARIABLE);
  const clientSecret = stringAt('client_secret', 'clientSecret', CLIENT_SECRET_VARIABLE);
  if (clientId !== undefined) fields.clientId = clientId;
  if (clientSecret !== undefined) fields.clientSecret = clientSecret;
  return fields;
}

/** `KEY=value` lines (as in a `.env` file): `#` comments, optional `export`, optional quotes. */
function lineFields(text: string): Fields {
  const fields: Fields = {};
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (match === null || raw.trimStart().startsWith('#')) continue;
    const value = unquote(match[2] ?? '');
    if (match[1] === CLIENT_ID_VARIABLE) fields.clientId = value;
    if (match[1] === CLIENT_SECRET_VARIABLE) fields.clientSecret = value;
  }
  return fields;
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted?.[2] ?? value;
}
