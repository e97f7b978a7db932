import { CoupaDlError } from '../../domain/errors.ts';
import { line, type App } from '../app.ts';
import { ADMIN_PLACE, accessProblem, noCredentials, openApiAccess } from '../api-access.ts';
import { openSession } from '../session/open-session.ts';
import type { JobConfig } from '../settings.ts';
import { apiWay } from './api-way.ts';
import { browserWay } from './browser-way.ts';
import { FallbackBrowser } from './fallback-browser.ts';
import type { AnyFetchWay } from './fetch-way.ts';

/**
 * The way this run fetches its POs (`--source`), ready before the output folder is touched: a
 * signed-in browser session, or an API client with a first token and every scope. `api` without
 * credentials, with a wrong secret or a missing scope stops here (exit 2, nothing fetched).
 * `auto` takes the API when its credentials are set and the browser otherwise; a missing scope
 * sends the whole run to the browser, and a browser is only signed in when a PO needs it — or
 * at once with `--save-po-pdf`, as every PO is then printed from its web page. `fetch`: Node's
 * HTTP client of the run (trusted authorities, proxy), for the API.
 */
export async function openFetchWay({ app, config, fetch }: { app: App; config: JobConfig; fetch: typeof globalThis.fetch }): Promise<AnyFetchWay> {
  const openBrowser = async () => browserWay(app, config, await openSession({ app, config }));
  if (config.source === 'browser') return openBrowser();
  const access = await openApiAccess(app, config, app.interrupt, fetch);
  if (config.source === 'api') {
    if (access === null) throw noCredentials();
    const problem = accessProblem(access);
    if (problem !== null) throw problem;
    return apiWay(access, config.apiRate, null, config.savePoPdf ? await signedInPrinter(app, config) : null);
  }
  if (access === null) {
    line(app.stderr, 'No API client is set up (COUPA_CLIENT_ID and COUPA_CLIENT_SECRET, or --api-credentials-file): this run uses the browser.');
    return openBrowser();
  }
  const problem = accessProblem(access);
  if (problem?.code === 'API_SCOPE_MISSING') {
    line(app.stderr, `${problem.message} This run uses the browser; for the API, ask your Coupa administrator to add the missing scopes to the OAuth client (${ADMIN_PLACE}).`);
    return openBrowser();
  }
  if (problem !== null) throw problem;
  const fallback = config.savePoPdf ? await signedInPrinter(app, config) : new FallbackBrowser(app, config);
  return apiWay(access, config.apiRate, fallback, config.savePoPdf ? fallback : null);
}

/**
 * `--save-po-pdf` through the API: the REST API has no printed PO, so each PO is printed from its
 * web page, which needs a web sign-in as well — checked now, before anything is fetched.
 */
async function signedInPrinter(app: App, config: JobConfig): Promise<FallbackBrowser> {
  const printer = new FallbackBrowser(app, config);
  try {
    await printer.open();
    return printer;
  } catch (error) {
    await printer[Symbol.asyncDispose]();
    if (!(error instanceof CoupaDlError) || error.code !== 'SIGNED_OUT') throw error;
    throw new CoupaDlError('SIGNED_OUT', `--save-po-pdf saves each PO as Coupa prints it on its web pages, and Coupa's REST API has no printed PO: with --source ${config.source}, a web sign-in is needed as well. ${error.message}`, {
      hint: `${error.hint ?? ''} Or leave out --save-po-pdf (mails are converted either way).`.trim(),
    });
  }
}
