import { formatBytes } from './human-units.ts';
import type { FileProgress, WorkerView } from './run-view.ts';
import { clipLine, screenLine, seg } from './screen-line.ts';
import type { ScreenLine, Segment } from './screen-line.ts';
import { fitText, oneLine, textWidth } from './text-width.ts';

/** One row per browser: its PO and step, then a progress bar for each of its latest files. */

const STEP_TEXT: Readonly<Record<string, string>> = {
  opening: 'opening the PO',
  reading: 'reading attachments',
  settling: 'waiting for the page to settle',
  'line-page': 'reading more lines',
  requisition: 'checking the requisition',
  downloading: 'downloading',
  filing: 'filing',
};

const FILE_INDENT = '      ';
const BYTES_WIDTH = 21; // `1023.9 MB / 1023.9 MB`
const MAX_BAR = 20;
const MIN_BAR = 6;

export function progressBar(file: FileProgress, width: number): string {
  if (file.totalBytes === null || file.totalBytes <= 0) return '';
  const ratio = Math.min(1, Math.max(0, file.bytes / file.totalBytes));
  const filled = Math.round(ratio * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

export function bytesText(file: FileProgress): string {
  return file.totalBytes === null ? formatBytes(file.bytes) : `${formatBytes(file.bytes)} / ${formatBytes(file.totalBytes)}`;
}

function fileSegments(file: FileProgress, width: number): readonly Segment[] {
  const barWidth = Math.min(MAX_BAR, width - 12 - BYTES_WIDTH - 4);
  const bar = barWidth >= MIN_BAR ? progressBar(file, barWidth) : '';
  const barSpace = barWidth >= MIN_BAR ? barWidth + 2 : 0;
  const nameWidth = Math.max(4, width - barSpace - BYTES_WIDTH - 2);
  const done = file.totalBytes !== null && file.bytes >= file.totalBytes;
  return [
    seg(fitText(oneLine(file.name), nameWidth)),
    seg(' '),
    seg(bar === '' ? ' '.repeat(barSpace) : bar, done ? 'good' : 'accent'),
    seg(' '),
    seg(bytesText(file).padStart(BYTES_WIDTH), 'dim'),
  ];
}

function stepText(worker: WorkerView): string {
  if (worker.step === null) return 'starting';
  const step = STEP_TEXT[worker.step] ?? oneLine(worker.step);
  return worker.stepDetail === null ? step : `${step} (${oneLine(worker.stepDetail)})`;
}

function headSegments(worker: WorkerView): readonly Segment[] {
  const id = seg(String(worker.id).padStart(3) + '  ', 'dim');
  if (worker.key === null) return [id, seg('idle', 'dim')];
  const segments = [id, seg(fitText(oneLine(worker.key), 12), 'strong'), seg(' '), seg(stepText(worker))];
  if (worker.attempt > 1) segments.push(seg(`  attempt ${worker.attempt}`, 'warn'));
  return segments;
}

/**
 * Lines for one worker. `filesShown` 0 puts the latest file's bar on the worker's own line
 * (compact mode, for many browsers on a short terminal).
 */
export function workerLines(worker: WorkerView, columns: number, filesShown: number): readonly ScreenLine[] {
  const head = headSegments(worker);
  const latest = worker.files[worker.files.length - 1];
  if (filesShown === 0) {
    if (latest === undefined) return [clipLine(screenLine(head), columns)];
    const headWidth = Math.min(columns - 24, head.reduce((sum, s) => sum + textWidth(s.text), 0) + 2);
    const headLine = clipLine(screenLine(head), headWidth - 2);
    const pad = ' '.repeat(Math.max(0, headWidth - headLine.segments.reduce((sum, s) => sum + textWidth(s.text), 0)));
    return [clipLine(screenLine([...headLine.segments, seg(pad), ...fileSegments(latest, columns - headWidth)]), columns)];
  }
  const files = worker.files.slice(-filesShown);
  return [
    clipLine(screenLine(head), columns),
    ...files.map((file) => clipLine(screenLine([seg(FILE_INDENT), ...fileSegments(file, columns - FILE_INDENT.length)]), columns)),
  ];
}
