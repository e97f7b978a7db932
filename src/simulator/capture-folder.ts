import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** `<folder>/<PO number>/meta.json`, as `coupa-dl capture` writes it. */
export interface CaptureMeta {
  readonly poNumber: string;
  readonly poId: string;
  /** The page's URL on the real instance, e.g. `https://acme.coupahost.com/order_headers/123`. */
  readonly url: string;
  readonly capturedAt: string;
  readonly title: string;
}

/** One captured PO: its meta data and where its pages are. */
export interface CapturedPo {
  readonly meta: CaptureMeta;
  /** The captured instance's origin, which the replay rewrites to its own; null when `url` is empty (a copy taken after the tab moved on). */
  readonly origin: string | null;
  /** The rendered DOM (`page.html`). */
  readonly pagePath: string;
  /** The HTML the server sent (`server.html`), when captured. */
  readonly serverPath: string | null;
}

/**
 * Reads a capture folder: every sub-folder holding a `meta.json`. All problems are collected, each
 * naming the folder and what is wrong, so one run of `--replay` shows them all.
 */
export async function readCaptureFolder(folder: string): Promise<CapturedPo[]> {
  let entries: string[];
  try {
    entries = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch (error) {
    throw new Error(`Cannot read the capture folder ${folder}: ${error instanceof Error ? error.message : String(error)}. Give the folder that \`coupa-dl capture\` wrote.`, { cause: error });
  }
  const problems: string[] = [];
  const captured: CapturedPo[] = [];
  for (const name of entries) {
    const dir = path.join(folder, name);
    if (!(await isFile(path.join(dir, 'meta.json')))) continue;
    const read = await readCapture(dir);
    if (typeof read === 'string') problems.push(read);
    else captured.push(read);
  }
  const seen = new Map<string, string>();
  for (const po of captured) {
    const other = seen.get(po.meta.poId);
    if (other !== undefined) problems.push(`${po.meta.poNumber} and ${other} both capture /order_headers/${po.meta.poId}: keep one of them.`);
    seen.set(po.meta.poId, po.meta.poNumber);
  }
  if (problems.length > 0) throw new Error(`The capture folder ${folder} has problems:\n- ${problems.join('\n- ')}`);
  if (captured.length === 0) throw new Error(`The capture folder ${folder} holds no captured PO (no sub-folder with a meta.json). Give the folder that \`coupa-dl capture\` wrote.`);
  return captured;
}

async function readCapture(dir: string): Promise<CapturedPo | string> {
  let meta: unknown;
  try {
    meta = JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8'));
  } catch (error) {
    return `${dir}/meta.json is not readable JSON (${error instanceof Error ? error.message : String(error)}).`;
  }
  const fields = ['poNumber', 'poId', 'url', 'capturedAt', 'title'] as const;
  const record = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
  const missing = fields.filter((field) => typeof record[field] !== 'string');
  if (missing.length > 0) return `${dir}/meta.json lacks ${missing.map((field) => `\`${field}\``).join(', ')} (expected text for each).`;
  const checked = Object.fromEntries(fields.map((field) => [field, String(record[field])])) as unknown as CaptureMeta;
  if (!/^\d+$/.test(checked.poId)) return `${dir}/meta.json: expected \`poId\` to be the numeric id of /order_headers/<id>, got \`${checked.poId}\`.`;
  let origin: string | null = null;
  if (checked.url !== '') {
    try {
      origin = new URL(checked.url).origin;
    } catch {
      return `${dir}/meta.json: expected \`url\` to be the page's full address (or empty), got \`${checked.url}\`.`;
    }
  }
  const pagePath = path.join(dir, 'page.html');
  if (!(await isFile(pagePath))) return `${dir} has no page.html (the rendered page).`;
  const serverPath = path.join(dir, 'server.html');
  return { meta: checked, origin, pagePath, serverPath: (await isFile(serverPath)) ? serverPath : null };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
