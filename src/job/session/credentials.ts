import { classifyError, CoupaDlError } from '../../domain/errors.ts';
import type { Credentials } from '../../coupa/sign-in.ts';
import type { App } from '../app.ts';

/** The password sign-in (COUPA_USERNAME + COUPA_PASSWORD), and keeping the password out of every message. */

export function passwordFromEnv(env: App['env']): Credentials | null {
  const username = env['COUPA_USERNAME'];
  const password = env['COUPA_PASSWORD'];
  return username && password ? { username, password } : null;
}

/** Whatever a browser or server says, the password never reaches a message, a log or a report. */
export function withoutSecret(error: unknown, credentials: Credentials | null): unknown {
  const secret = credentials?.password;
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof CoupaDlError ? error.hint ?? '' : '';
  if (!secret || (!message.includes(secret) && !hint.includes(secret))) return error;
  const { code } = classifyError(error);
  return new CoupaDlError(code === 'UNEXPECTED' ? 'SIGNED_OUT' : code, message.replaceAll(secret, '***'), { hint: hint.replaceAll(secret, '***') });
}

