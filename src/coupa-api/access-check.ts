import { classifyError, CoupaDlError } from '../domain/errors.ts';
import type { TokenProvider } from './token-provider.ts';

/** What `doctor --source api` reports. */
export interface AccessReport {
  /** Whether Coupa issued a token for these credentials. */
  readonly tokenOk: boolean;
  readonly grantedScopes: readonly string[];
  /** Scopes asked for and not granted: the API path cannot work without them. */
  readonly missingScopes: readonly string[];
  /** Seconds the token lasts (Coupa: 86,399). */
  readonly expiresInSeconds: number | null;
  /** Why there is no token, in plain words, with what to do. */
  readonly problem: { readonly code: string; readonly message: string; readonly hint: string | null } | null;
}

/** Asks for a token and says which of the scopes asked for are missing. Never throws for Coupa's answers. */
export async function checkAccess(tokens: TokenProvider, askedScopes: readonly string[], signal: AbortSignal): Promise<AccessReport> {
  try {
    const token = await tokens.token(signal);
    return {
      tokenOk: true,
      grantedScopes: token.grantedScopes,
      missingScopes: token.missingScopes,
      expiresInSeconds: Math.round((token.expiresAtMs - token.obtainedAtMs) / 1000),
      problem: null,
    };
  } catch (error) {
    if (signal.aborted) throw error;
    const { code, message } = classifyError(error);
    // A token refused for its scopes (none of them granted) lacks every one.
    const missingScopes = code === 'API_SCOPE_MISSING' ? askedScopes : [];
    return { tokenOk: false, grantedScopes: [], missingScopes, expiresInSeconds: null, problem: { code, message, hint: error instanceof CoupaDlError ? (error.hint ?? null) : null } };
  }
}
