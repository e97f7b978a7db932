/**
 * Which way a PO was fetched: Coupa's web pages in a browser, or Coupa's REST API. Recorded in
 * the state store and counted in the end summary; the report never shows it (its rows are the
 * same either way).
 */
export const FETCH_SOURCES = ['browser', 'api'] as const;

export type FetchSource = (typeof FETCH_SOURCES)[number];

export function isFetchSource(value: string): value is FetchSource {
  return (FETCH_SOURCES as readonly string[]).includes(value);
}
