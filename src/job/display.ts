import { join } from 'node:path';
import { EventBus, type EngineEvent } from '../engine/events.ts';
import { startJsonLines } from '../ui/json-lines.ts';
import { startPlainLines } from '../ui/plain-lines.ts';
import { openRunLog, runLogPath, type RunLog } from '../ui/run-log.ts';
import type { FinalSummary } from '../ui/run-summary.ts';
import type { App } from './app.ts';

export interface Display extends AsyncDisposable {
  emit(event: EngineEvent): void;
  readonly log: RunLog;
  finish(summary: FinalSummary): Promise<void>;
}

/**
 * The listeners of a run: the live dashboard on a terminal, plain lines otherwise, JSON lines
 * with --json; and always the run's log file under `<out>/.coupa-dl/logs`. The dashboard's
 * modules (ink, React, a layout engine) load only when it is shown: ~0.22 s of start-up and
 * their memory that runs without a terminal (scheduled tasks, --json) do not need.
 */
export async function openDisplay({ app, json, outDir }: { app: App; json: boolean; outDir: string }): Promise<Display> {
  const screen = json
    ? startJsonLines({ out: app.stdout })
    : app.stdout.isTTY === true
      ? (await import('../ui/dashboard.ts')).startDashboard({ stdout: app.stdout as NodeJS.WriteStream })
      : startPlainLines({ out: app.stdout });
  const log = openRunLog({ filePath: runLogPath(join(outDir, '.coupa-dl'), new Date()) });
  const bus = new EventBus((error) => log.error('A display failed', { error: String(error) }));
  bus.on(screen.listener);
  bus.on(log.listener);
  let finished = false;
  return {
    emit: (event) => bus.emit(event),
    log,
    async finish(summary) {
      finished = true;
      await screen.finish(summary);
      await log.close();
    },
    async [Symbol.asyncDispose]() {
      if (!finished) await screen.finish({ outDir, reportPaths: [], retryCommand: null });
      await log.close();
    },
  };
}
