/**
 * Removes secrets from text and structured fields before they reach a log, a report or the
 * screen. Error messages from browsers quote cookies, URLs with tokens and form bodies; the
 * log file is what users attach to support tickets, so it must never carry a session.
 */

export const REDACTED = '[REDACTED]';

const SECRET_NAME = String.raw`(?:_coupa_session|remember_user_token|[\w.-]*session[\w.-]*|[\w.-]*token|password|passwd|pwd|secret|client_secret|api[_-]?key)`;

const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Whole header lines: `Cookie: a=b; c=d`, `Authorization: Basic …`, `Set-Cookie: …`.
  [/\b((?:set-)?cookie|authorization|proxy-authorization)(\s*[:=]\s*)("?)[^\n"]*\3/gi, `$1$2$3${REDACTED}$3`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  // JSON-like `"password": "…"` inside a message.
  [new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi'), `$1"${REDACTED}"`],
  // Query strings, cookies and form bodies: `_coupa_session=…`, `password=…`.
  [new RegExp(String.raw`\b(${SECRET_NAME})=([^;&\s"',]+)`, 'gi'), `$1=${REDACTED}`],
];

/** Field names whose values are secrets whatever they hold. */
const SECRET_FIELD = /^(?:cookies?|set-cookie|password|passwd|pwd|secret|token|access_?token|refresh_?token|authorization|api_?key|_coupa_session)$/i;

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** Deep copy of `value` with secret-named fields replaced and every string scrubbed. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  if (value instanceof Error) {
    // Still an Error, so loggers serialise it as one (type, message, stack).
    const copy = new Error(scrubSecrets(value.message), { cause: scrubValue(value.cause, depth + 1) });
    copy.name = value.name;
    copy.stack = scrubSecrets(value.stack ?? '');
    return copy;
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = isSecretField(key) ? REDACTED : scrubValue(field, depth + 1);
  }
  return out;
}
