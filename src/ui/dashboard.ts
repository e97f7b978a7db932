import React from 'react';
import { render } from 'ink';
import type { RenderOptions } from 'ink';
import type { EngineEvent } from '../engine/events.ts';
import { DashboardView } from './dashboard-view.ts';
import type { FinalSummary } from './run-summary.ts';
import { initialRunView, reduceRunView } from './run-view.ts';
import type { RunView } from './run-view.ts';

/** The live dashboard for a terminal: folds events into a view and redraws it with Ink. */
export interface DashboardOptions {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Fixed width (tests); otherwise the terminal's, followed on resize. */
  readonly columns?: number;
  readonly rows?: number;
  readonly clock?: () => number;
  /** Shortest time between two redraws; events in between are folded, not drawn. */
  readonly redrawMs?: number;
  /** Passed to Ink; leave unset to let Ink detect CI and pipes. */
  readonly interactive?: boolean;
}

export interface Dashboard {
  readonly listener: (event: EngineEvent) => void;
  /** Draws the final view with the summary, leaves it on screen and releases the terminal. */
  finish(summary: FinalSummary): Promise<void>;
}

const h = React.createElement;
const DEFAULT_COLUMNS = 80;
const DEFAULT_ROWS = 24;
// The elapsed clock and ETA move even when no event arrives.
const TICK_MS = 1000;

export function startDashboard(options: DashboardOptions): Dashboard {
  const clock = options.clock ?? Date.now;
  const redrawMs = options.redrawMs ?? 100;
  let view: RunView = initialRunView;
  let summary: FinalSummary | null = null;
  let pending: NodeJS.Timeout | null = null;
  let finished = false;

  const element = (): React.ReactElement =>
    h(DashboardView, {
      view,
      now: clock(),
      columns: options.columns ?? options.stdout.columns ?? DEFAULT_COLUMNS,
      rows: options.rows ?? options.stdout.rows ?? DEFAULT_ROWS,
      summary,
    });

  // Ctrl-C belongs to the CLI (first press stops gently); console output is kept above the frame.
  const renderOptions: RenderOptions = { stdout: options.stdout, exitOnCtrlC: false, patchConsole: true, maxFps: 10 };
  if (options.stdin !== undefined) renderOptions.stdin = options.stdin;
  if (options.interactive !== undefined) renderOptions.interactive = options.interactive;
  const ink = render(element(), renderOptions);

  const draw = (): void => {
    pending = null;
    if (!finished) ink.rerender(element());
  };
  const schedule = (): void => {
    if (pending === null && !finished) pending = setTimeout(draw, redrawMs);
  };
  const ticker = setInterval(schedule, TICK_MS);
  ticker.unref();
  // Ink redraws on resize itself; the layout must also be recomputed for the new width.
  const onResize = (): void => schedule();
  options.stdout.on('resize', onResize);

  return {
    listener(event) {
      view = reduceRunView(view, event);
      schedule();
    },
    async finish(final) {
      if (finished) return;
      summary = final;
      ink.rerender(element());
      finished = true;
      clearInterval(ticker);
      if (pending !== null) clearTimeout(pending);
      options.stdout.off('resize', onResize);
      await ink.waitUntilRenderFlush();
      ink.unmount();
      await ink.waitUntilExit();
    },
  };
}
