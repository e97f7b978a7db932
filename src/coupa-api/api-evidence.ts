import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diskError } from '../coupa/browser-error.ts';
import { pageCopyFolder } from '../coupa/page-copy.ts';
import type { AnswerRecorder, RecordedAnswer } from './api-transport.ts';

/**
 * The API's own answers for one PO, kept as evidence when its outcome is not clean — what a
 * saved page is for the browser: `<out>/.coupa-dl/pages/<PO>/api.json` (every JSON answer,
 * parsed, with the path it answered) and `meta.json` (why it was kept). Tokens never appear:
 * they travel in request headers, which are not kept, and token answers are not recorded.
 * Query parameters that carry signatures or tokens in URLs inside the answers (a storage
 * host's signed `file-url`, say) are removed, as a saved page's are. `maxBytes` caps the file.
 */
export class ApiEvidence implements AnswerRecorder {
  readonly #answers: RecordedAnswer[] = [];
  readonly #maxBytes: number;
  #bytes = 0;
  #dropped = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  add(answer: RecordedAnswer): void {
    const size = answer.body.length + answer.path.length;
    // Answers beyond the cap are counted, not kept: evidence must not grow with a huge PO.
    if (this.#bytes + size > this.#maxBytes) {
      this.#dropped += 1;
      return;
    }
    this.#bytes += size;
    this.#answers.push(answer);
  }

  get count(): number {
    return this.#answers.length;
  }

  /** Writes the evidence folder (replacing an earlier copy); returns it relative to `outDir`. */
  async save(outDir: string, info: { readonly poNumber: string; readonly poId: string; readonly url: string; readonly reason: string }): Promise<string> {
    const relative = pageCopyFolder(info.poNumber);
    const dir = join(outDir, relative);
    const notes = this.#dropped === 0 ? [] : [`${String(this.#dropped)} later answer(s) left out: the evidence is capped at ${String(this.#maxBytes)} bytes`];
    const answers = this.#answers.map((answer) => ({ path: answer.path, status: answer.status, body: scrubbed(parsed(answer.body)) }));
    try {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'api.json'), `${JSON.stringify({ poNumber: info.poNumber, answers }, null, 2)}\n`);
      const meta = { poNumber: info.poNumber, poId: info.poId, url: info.url, source: 'api', capturedAt: new Date().toISOString(), reason: info.reason, notes: ["Coupa's REST API answers for this PO are in api.json", ...notes] };
      await writeFile(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    } catch (error) {
      throw diskError(error, dir) ?? error;
    }
    return relative;
  }
}

function parsed(body: string): unknown {
  if (body === '') return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** Query parameters that sign or authorise a URL (storage hosts' signed links, tokens). */
const SECRET_PARAM = /^(x-amz-|signature|sig|token|access_token|auth|key|expires|policy|se|sp|sv|sr|skoid|sktid|code|session)/i;

/** The value with every URL inside it stripped of secret-looking query parameters. */
export function scrubbed(value: unknown): unknown {
  if (typeof value === 'string') return scrubUrl(value);
  if (Array.isArray(value)) return value.map(scrubbed);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrubbed(inner)]));
  return value;
}

function scrubUrl(text: string): string {
  if (!/^https?:\/\/\S+\?/i.test(text)) return text;
  try {
    const url = new URL(text);
    let changed = false;
    for (const name of [...url.searchParams.keys()]) {
      if (SECRET_PARAM.test(name)) {
        url.searchParams.delete(name);
        changed = true;
      }
    }
    return changed ? url.href : text;
  } catch {
    return text;
  }
}
