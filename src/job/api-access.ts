import { resolve } from 'node:path';
import type { AccessReport } from '../coupa-api/access-check.ts';
import { CLIENT_ID_VARIABLE, CLIENT_SECRET_VARIABLE, loadApiCredentials } from '../coupa-api/api-credentials.ts';
import { CoupaApiClient } from '../coupa-api/coupa-api-client.ts';
import { CoupaDlError, ERROR_CODES, type ErrorCode } from '../domain/errors.ts';
import type { App } from './app.ts';
import type { JobConfig } from './settings.ts';

/**
 * The run's way into Coupa's REST API: the credentials (the file given by path, else
 * COUPA_CLIENT_ID and COUPA_CLIENT_SECRET), the one client every worker shares (one token, one
 * pace), and a first token, asked for before the output folder is touched — so a wrong secret or
 * a missing scope stops the run having fetched nothing.
 */

export type ApiConfig = Pick<JobConfig, 'baseUrl' | 'apiRate' | 'apiScopes' | 'apiFileShape' | 'poPrefixes' | 'downloadTimeoutMs'> & { readonly apiCredentialsFile?: string | undefined };

export interface ApiAccess {
  readonly client: CoupaApiClient;
  /** The OAuth client's id (not a secret). */
  readonly clientId: string;
  /** Where the credentials came from, in words (never the secret). */
  readonly credentialsFrom: string;
  /** The first token's answer: granted and missing scopes, or why there is none. */
  readonly report: AccessReport;
}

export const ADMIN_PLACE = 'Setup > OAuth2/OpenID Connect Clients';

/** Null when no API credentials are configured; CONFIG_INVALID when they are half there or unreadable. */
/** `fetch`: Node's HTTP client of the command (trusted authorities, proxy: net/node-http.ts). */
export async function openApiAccess(app: App, config: ApiConfig, signal: AbortSignal, fetch: typeof globalThis.fetch): Promise<ApiAccess | null> {
  const file = config.apiCredentialsFile === undefined ? undefined : resolve(app.cwd, config.apiCredentialsFile);
  const credentials = await loadApiCredentials(app.env, file);
  if (credentials === null) return null;
  const client = new CoupaApiClient({
    baseUrl: config.baseUrl,
    credentials,
    scopes: config.apiScopes,
    requestsPerSecond: config.apiRate,
    fileShape: config.apiFileShape,
    poPrefixes: config.poPrefixes,
    downloadTimeoutMs: config.downloadTimeoutMs,
    fetch,
  });
  const report = await client.checkAccess(signal);
  return { client, clientId: credentials.clientId, credentialsFrom: file === undefined ? `${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE}` : `the file ${file}`, report };
}

/** Why this API access cannot serve a run (no token, or scopes missing), as the error to stop with; null when it can. */
export function accessProblem(access: ApiAccess): CoupaDlError | null {
  const { problem, missingScopes, grantedScopes } = access.report;
  if (problem !== null) {
    const code: ErrorCode = problem.code in ERROR_CODES ? (problem.code as ErrorCode) : 'API_AUTH_FAILED';
    return new CoupaDlError(code, problem.message, problem.hint === null ? {} : { hint: problem.hint });
  }
  if (missingScopes.length === 0) return null;
  const granted = grantedScopes.length === 0 ? 'none' : grantedScopes.join(', ');
  return new CoupaDlError('API_SCOPE_MISSING', `The API client (credentials from ${access.credentialsFrom}) lacks the scope${missingScopes.length === 1 ? '' : 's'} ${missingScopes.join(', ')}; Coupa granted ${granted}.`, {
    hint: `Ask your Coupa administrator to add ${missingScopes.join(' and ')} to the OAuth client (${ADMIN_PLACE}), or run with --source browser.`,
  });
}

/** Without credentials, `--source api` cannot start: say where they go. */
export function noCredentials(): CoupaDlError {
  return new CoupaDlError('CONFIG_INVALID', `--source api needs an API client: ${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE} are not set and no --api-credentials-file was given.`, {
    hint: `Set ${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE} (never on the command line), or give --api-credentials-file <file>. Your Coupa administrator creates the OAuth client (${ADMIN_PLACE}) with the scopes the user guide lists; or run with --source browser.`,
  });
}
