/**
 * Requests and bytes per PO through Coupa's REST API, naive walk (`full`) against the trimmed
 * one (`fields=`), over the simulator's catalogue. Figures go to docs/coupa-api.md.
 *
 *   node bench/api-request-plans.ts [--pos 200] [--long-lines 300] [--po-number-form as-shown|digits]
 *
 * The simulator's rate limit is off and the client's pace is high, so the time per request is
 * the simulator's own; at Coupa's pace, requests per PO divided by the pace is the time per PO.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RequestPlan } from '../src/coupa-api/po-resolver.ts';
import { startSimulator } from '../src/simulator/index.ts';
import { measureWalk as measure, type WalkFigures as Figures } from './api-walk.ts';

const { values } = parseArgs({ options: { pos: { type: 'string', default: '200' }, 'long-lines': { type: 'string', default: '300' }, 'po-number-form': { type: 'string', default: 'as-shown' } } });

function row(label: string, plan: RequestPlan, figures: Figures): string {
  const perPo = (n: number) => (n / figures.pos).toFixed(2);
  return `| ${label} | ${plan} | ${String(figures.pos)} | ${perPo(figures.listingRequests)} | ${perPo(figures.requests)} | ${(figures.jsonBytes / figures.pos / 1024).toFixed(1)} KB | ${(figures.jsonTimeMs / figures.jsonRequests).toFixed(2)} ms | ${(figures.wallMs / figures.pos).toFixed(1)} ms |`;
}

const dir = await mkdtemp(join(tmpdir(), 'api-plans-'));
const longLines = Number(values['long-lines']);
const sim = await startSimulator({ pos: Number(values.pos), heavyPages: false, longPos: { '100001': longLines }, api: { rateLimit: null, poNumberForm: values['po-number-form'] === 'digits' ? 'digits' : 'as-shown' } });
try {
  const catalogue = sim.truth.pos.filter((po) => po.id !== '100001');
  const long = sim.truth.pos.filter((po) => po.id === '100001');
  const lines = ['| POs | plan | count | listing requests / PO | all requests / PO (files included) | JSON / PO | time per JSON request | wall time per PO |', '|---|---|---|---|---|---|---|---|'];
  for (const plan of ['full', 'trimmed'] as const) lines.push(row('catalogue', plan, await measure(sim, plan, catalogue, dir)));
  for (const plan of ['full', 'trimmed'] as const) lines.push(row(`${String(longLines)}-line PO`, plan, await measure(sim, plan, long, dir)));
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
}
