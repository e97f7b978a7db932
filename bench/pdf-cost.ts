/**
 * `node bench/pdf-cost.ts [--pos 40] [--workers 2] [--rounds 3] [--latency-ms 300]`: what mails to
 * PDF and the PO PDF add to a run of the demo's shape (its simulator settings, seed 1), measured with
 * the bench's own runner (process tree CPU and PSS, bench/cli-run.ts). Three variants, interleaved
 * round by round so the machine's drift hits them alike: `--no-mail-pdf`, the default (mails
 * converted), and the default with `--save-po-pdf`. Per-mail times come from the run log.
 */
import { statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findBrowser } from '../src/browser/find-browser.ts';
import { openBenchSite } from './bench-site.ts';
import { runCli } from './cli-run.ts';
import type { SimulatorProfile } from './bench-options.ts';

const { values } = parseArgs({ options: { pos: { type: 'string', default: '40' }, workers: { type: 'string', default: '2' }, rounds: { type: 'string', default: '3' }, 'latency-ms': { type: 'string', default: '300' } } });
const pos = Number(values.pos);
const workers = Number(values.workers);
const rounds = Number(values.rounds);
// As `coupa-dl demo` starts its simulator.
const profile: SimulatorProfile = { pageLatencyMs: Number(values['latency-ms']), fileLatencyMs: 50, bandwidthBytesPerSec: 1e12, fileSizeBytes: { min: 2048, max: 20480 }, heavyPages: true, seed: 1 };
const browserPath = findBrowser(undefined, { platform: process.platform, env: process.env, exists: (path) => existsSyncSafe(path) }).executablePath;
const VARIANTS = [
  { name: 'no mails (--no-mail-pdf)', args: ['--no-mail-pdf'] },
  { name: 'mails to PDF (default)', args: [] },
  { name: 'mails + --save-po-pdf', args: ['--save-po-pdf'] },
] as const;

interface Figure {
  wallS: number;
  poolS: number;
  afterLastPoS: number;
  cpuS: number;
  peakPssMb: number;
  mails: number;
  mailMs: number[];
}

const figures = new Map<string, Figure[]>(VARIANTS.map((variant) => [variant.name, []]));
for (let round = 1; round <= rounds; round += 1) {
  for (const variant of VARIANTS) {
    await using site = await openBenchSite(profile, pos);
    const record = await runCli({ site, workers, isolation: 'context', browserPath, timeoutMs: 600_000, label: variant.name, extraArgs: variant.args });
    if (record.exitCode !== 0 && record.exitCode !== 1) throw new Error(`${variant.name}: exit ${String(record.exitCode)}\n${record.stderrTail}`);
    const mailMs = await mailTimes(site.outPath);
    const lastPo = Math.max(...record.tasks.map((task) => task.finishedAtMs));
    const figure: Figure = {
      wallS: record.wallMs / 1000,
      poolS: (record.engineMs ?? 0) / 1000,
      afterLastPoS: (record.wallMs - lastPo) / 1000,
      cpuS: record.cpu.toolSec,
      peakPssMb: Math.max(0, ...record.samples.map((sample) => sample.pssBytes)) / 2 ** 20,
      mails: mailMs.length,
      mailMs,
    };
    figures.get(variant.name)?.push(figure);
    console.error(`round ${String(round)} ${variant.name}: wall ${figure.wallS.toFixed(1)} s, pool ${figure.poolS.toFixed(1)} s, after the last PO ${figure.afterLastPoS.toFixed(1)} s, CPU ${figure.cpuS.toFixed(1)} s, peak PSS ${figure.peakPssMb.toFixed(0)} MB, ${String(figure.mails)} mails`);
  }
}

const median = (list: readonly number[]): number => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : ((sorted[Math.floor((sorted.length - 1) / 2)] ?? 0) + (sorted[Math.ceil((sorted.length - 1) / 2)] ?? 0)) / 2;
};
console.log(`\n${String(pos)} POs, ${String(workers)} workers (context), page latency ${String(profile.pageLatencyMs)} ms, heavy pages, ${String(rounds)} rounds; medians\n`);
console.log('| variant | wall s | pool s | after the last PO s | CPU s (tree) | peak PSS MB | mails converted | ms per mail (median, max) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, list] of figures) {
  const all = list.flatMap((figure) => figure.mailMs);
  const perMail = all.length === 0 ? '—' : `${median(all).toFixed(0)}, ${Math.max(...all).toFixed(0)}`;
  console.log(`| ${name} | ${median(list.map((f) => f.wallS)).toFixed(1)} | ${median(list.map((f) => f.poolS)).toFixed(1)} | ${median(list.map((f) => f.afterLastPoS)).toFixed(1)} | ${median(list.map((f) => f.cpuS)).toFixed(1)} | ${median(list.map((f) => f.peakPssMb)).toFixed(0)} | ${String(median(list.map((f) => f.mails)))} | ${perMail} |`);
}

/** Each downloaded mail's own time (reading, printing, writing, its attached mails included), from the run log. */
async function mailTimes(outPath: string): Promise<number[]> {
  const folder = join(outPath, '.coupa-dl', 'logs');
  const times: number[] = [];
  for (const name of await readdir(folder).catch(() => [])) {
    for (const line of (await readFile(join(folder, name), 'utf8')).split('\n')) {
      if (!line.includes('"Mail converted to PDF"')) continue;
      const ms = (JSON.parse(line) as { ms?: unknown }).ms;
      if (typeof ms === 'number') times.push(ms);
    }
  }
  return times;
}

function existsSyncSafe(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
