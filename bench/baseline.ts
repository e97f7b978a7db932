import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../src/browser/launch.ts';
import { ERROR_TEXT_MARKERS, errorPageStatus } from '../src/coupa/error-page.ts';
import type { BenchSite } from './bench-site.ts';
import { CpuMeter } from './cpu-meter.ts';
import type { RunRecord, TaskRecord } from './run-record.ts';
import { TreeSampler } from './tree-sampler.ts';

/**
 * The naive approach the product replaces, as the earlier Selenium tool worked: one browser,
 * one tab, one PO at a time; open the page, wait for `load`, click every attachment and wait
 * for each download before the next. It follows the same status rules (error pages, the
 * requisition when the PO has no PDF) so its work and its correctness compare with the CLI's.
 */

interface FoundAttachment {
  readonly attId: string;
  readonly kind: 'file' | 'url' | 'text';
  readonly name: string;
}

const PAGE_TIMEOUT_MS = 60_000;

async function openPage(page: Page, url: string): Promise<string | undefined> {
  await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
  const text = await page.locator('body').innerText({ timeout: PAGE_TIMEOUT_MS });
  const marker = ERROR_TEXT_MARKERS.find((m) => text.toLowerCase().includes(m.toLowerCase()));
  if (marker !== undefined) return errorPageStatus(marker);
  // Late lists are a spinner until the page's script swaps them in.
  await page.waitForFunction(() => document.querySelector('.spinner[aria-busy="true"]') === null, undefined, { timeout: PAGE_TIMEOUT_MS });
  return undefined;
}

function listAttachments(page: Page): Promise<FoundAttachment[]> {
  return page.$$eval('li.attachment', (items) =>
    items.map((li) => ({
      attId: li.getAttribute('data-attachment-id') ?? '',
      kind: li.classList.contains('attachmentFile') ? ('file' as const) : li.classList.contains('attachmentUrl') ? ('url' as const) : ('text' as const),
      name: (li.querySelector('a, span.attachment-file')?.textContent ?? '').trim(),
    })),
  );
}

async function clickAndSave(page: Page, attId: string, folder: string, index: number): Promise<void> {
  // The floating bar covers old-theme pages; links open a new tab unless their target goes.
  await page.evaluate(() => {
    for (const bar of Array.from(document.querySelectorAll<HTMLElement>('div.page_buttons_right'))) bar.style.display = 'none';
    for (const link of Array.from(document.querySelectorAll('li.attachmentFile a'))) link.removeAttribute('target');
  });
  const widget = page.locator(`li.attachment[data-attachment-id="${attId}"]`).locator('a, span.attachment-file').first();
  const download = page.waitForEvent('download', { timeout: PAGE_TIMEOUT_MS });
  await widget.click({ timeout: PAGE_TIMEOUT_MS, noWaitAfter: true });
  const file = await download;
  await file.saveAs(join(folder, `${String(index)}-${file.suggestedFilename().replace(/[/\0]/g, '_')}`));
}

async function downloadAll(page: Page, found: readonly FoundAttachment[], folder: string, seen: Set<string>): Promise<void> {
  for (const attachment of found) {
    if (attachment.kind !== 'file' || seen.has(attachment.attId)) continue;
    seen.add(attachment.attId);
    await clickAndSave(page, attachment.attId, folder, seen.size);
  }
}

async function processPo(page: Page, site: BenchSite, poId: string): Promise<string> {
  const base = site.simulator.url;
  const poError = await openPage(page, `${base}/order_headers/${poId}`);
  if (poError !== undefined) return poError;
  const folder = join(site.outPath, poId);
  await mkdir(folder, { recursive: true });
  const seen = new Set<string>();
  const onPo = await listAttachments(page);
  await downloadAll(page, onPo, folder, seen);
  const hasPdf = onPo.some((a) => a.kind === 'file' && a.name.toLowerCase().endsWith('.pdf'));
  const requisition = await page.locator('#order_header_requisition_header').getAttribute('href', { timeout: 1_000 }).catch(() => null);
  let found = new Set(onPo.map((a) => a.attId)).size;
  if (!hasPdf && requisition !== null) {
    if ((await openPage(page, base + requisition)) !== undefined) return 'PR_NOT_ACCESSIBLE';
    const onRequisition = await listAttachments(page);
    await downloadAll(page, onRequisition, folder, seen);
    found += new Set(onRequisition.map((a) => a.attId)).size;
  }
  return found === 0 ? 'NO_ATTACHMENTS' : 'COMPLETED';
}

export interface BaselineOptions {
  readonly site: BenchSite;
  readonly browserPath: string;
  readonly label: string;
  readonly timeoutMs: number;
  readonly onTask?: (done: number, total: number) => void;
}

export async function runBaseline(options: BaselineOptions): Promise<RunRecord> {
  const { site, browserPath, label, onTask } = options;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const tasks: TaskRecord[] = [];
  const cpu = new CpuMeter();
  await cpu.start();
  const started = performance.now();
  // The bench process itself holds the simulator: measure only the browser below it.
  const sampler = new TreeSampler({ rootPid: process.pid, includeRoot: false, posDone: () => tasks.length });
  sampler.start();
  const browser = await launchBrowser({ executablePath: browserPath, headless: true, isRoot: process.getuid?.() === 0 });
  try {
    const context = await browser.newContext({ storageState: site.sessionPath, acceptDownloads: true });
    const page = await context.newPage();
    for (const po of site.pos) {
      // Bounded like every configuration: stop between POs once the time is up.
      if (deadline.aborted) break;
      const poStarted = performance.now();
      const status = await processPo(page, site, po.id).catch(() => 'FAILED');
      const now = performance.now();
      tasks.push({ key: po.poNumber, status, durationMs: Math.round(now - poStarted), finishedAtMs: Math.round(now - started) });
      onTask?.(tasks.length, site.pos.length);
    }
  } finally {
    await browser.close();
  }
  const wallMs = performance.now() - started;
  const samples = sampler.stop();
  const reading = await cpu.read();
  return {
    label,
    kind: 'baseline',
    workers: 1,
    isolation: 'none',
    pos: site.pos.length,
    wallMs,
    engineMs: null,
    exitCode: null,
    timedOut: deadline.aborted,
    tasks,
    workerStartMs: [],
    samples,
    cpu: {
      // Chromium's zygote does not hand its renderers' CPU on when reaped: take the sampled sum if larger.
      toolSec: Math.max(reading.reapedSec, sampler.cpuSec),
      benchSec: reading.ownSec,
      machineBusyPercent: reading.machineBusyPercent,
      byKindSec: await sampler.cpuSecByKind(),
    },
    simulator: site.simulator.stats(),
    outPath: site.outPath,
    stderrTail: '',
  };
}
