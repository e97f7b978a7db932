import { classifyError, CoupaDlError } from '../../domain/errors.ts';
import type { App } from '../../job/app.ts';
import { ADMIN_PLACE, noCredentials, openApiAccess, type ApiConfig } from '../../job/api-access.ts';
import { formatDuration } from '../../ui/human-units.ts';

/** One line of the doctor's list (doctor.ts prints them). */
export interface Check {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'warn';
  readonly detail: string;
  readonly fix?: string;
}

const TOKEN_TIMEOUT_MS = 60_000;

/**
 * `doctor --source api|auto`: where the API client's credentials come from, and whether Coupa
 * gives it a token with every scope asked for — naming the missing ones. Never prints the secret.
 * Without credentials, `api` fails and `auto` warns (its runs then use the browser).
 */
export async function checkApi(app: App, config: ApiConfig, source: 'api' | 'auto', fetch: typeof globalThis.fetch): Promise<Check[]> {
  const signal = AbortSignal.any([app.interrupt, AbortSignal.timeout(TOKEN_TIMEOUT_MS)]);
  let access;
  try {
    access = await openApiAccess(app, config, signal, fetch);
  } catch (error) {
    return [failed('API client', error)];
  }
  if (access === null) {
    const missing = noCredentials();
    return source === 'api'
      ? [{ name: 'API client', status: 'fail', detail: missing.message, ...(missing.hint === undefined ? {} : { fix: missing.hint }) }]
      : [{ name: 'API client', status: 'warn', detail: 'no API client is set up: runs with --source auto use the browser', fix: `Set COUPA_CLIENT_ID and COUPA_CLIENT_SECRET, or give --api-credentials-file, to use Coupa's REST API.` }];
  }
  const checks: Check[] = [{ name: 'API client', status: 'pass', detail: `client ${access.clientId}, from ${access.credentialsFrom}` }];
  const { report } = access;
  if (report.problem !== null) {
    checks.push({ name: 'API token', status: 'fail', detail: report.problem.message, ...(report.problem.hint === null ? {} : { fix: report.problem.hint }) });
    return checks;
  }
  const lasts = report.expiresInSeconds === null ? '' : `, valid for ${formatDuration(report.expiresInSeconds * 1000)}`;
  checks.push({ name: 'API token', status: 'pass', detail: `Coupa issued a token${lasts}` });
  checks.push(
    report.missingScopes.length === 0
      ? { name: 'API scopes', status: 'pass', detail: `every scope asked for: ${report.grantedScopes.join(', ')}` }
      : {
          name: 'API scopes',
          status: source === 'api' ? 'fail' : 'warn',
          detail: `missing ${report.missingScopes.join(', ')} (granted: ${report.grantedScopes.join(', ') || 'none'})${source === 'auto' ? '; runs with --source auto use the browser' : ''}`,
          fix: `Ask your Coupa administrator to add ${report.missingScopes.join(' and ')} to the OAuth client (${ADMIN_PLACE}).`,
        },
  );
  return checks;
}

function failed(name: string, error: unknown): Check {
  const hint = error instanceof CoupaDlError ? error.hint : undefined;
  return { name, status: 'fail', detail: classifyError(error).message, ...(hint === undefined ? {} : { fix: hint }) };
}
