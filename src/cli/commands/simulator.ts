import { Command, Option } from 'commander';
// Only the style names (a small module): the simulator itself loads when the command runs.
import { PAGE_STYLES, type PageStyle } from '../../simulator/page-style.ts';
import { line, type App } from '../../job/app.ts';
import { integerOption } from '../parse-option.ts';

/** `coupa-dl simulator`: the built-in Coupa stand-in, served until Ctrl-C. */
export function simulatorCommand(app: App): Command {
  return new Command('simulator')
    .description('Start the built-in Coupa simulator (for trying the tool without a Coupa account) and serve until Ctrl-C.')
    .option('--port <port>', 'port to listen on (0 = any free port)', integerOption('--port', 0, 65_535), 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--pos <count>', 'how many purchase orders the catalogue holds', integerOption('--pos', 1, 100_000), 200)
    .option('--seed <n>', 'catalogue seed (same seed, same POs and bytes)', integerOption('--seed', 0, 2 ** 31), 1)
    .option('--latency-ms <ms>', 'delay before every PO or requisition page', integerOption('--latency-ms', 0, 600_000), 0)
    .option('--file-latency-ms <ms>', 'delay before every file', integerOption('--file-latency-ms', 0, 600_000), 0)
    .option('--bandwidth-kbps <kB/s>', 'bandwidth cap per file, in kilobytes per second', integerOption('--bandwidth-kbps', 1, 10_000_000))
    .addOption(new Option('--auth <mode>', 'sign-in the simulator asks for').choices(['none', 'password', 'sso']).default('none'))
    .option('--expire-after-pages <n>', 'the session expires after this many pages', integerOption('--expire-after-pages', 1, 1_000_000))
    .addOption(new Option('--page-style <style>', 'how pages deliver their attachment lists (see docs/simulator.md)').choices(PAGE_STYLES).default('realistic'))
    .addOption(new Option('--file-host <host>', 'where files are served: coupa, or a storage host behind signed redirects').choices(['coupa', 'storage']).default('coupa'))
    .option('--replay <folder>', 'serve the pages in a folder written by `coupa-dl capture` instead of the simulated catalogue')
    .option('--replay-server-html', 'with --replay: serve the HTML the server sent (server.html) instead of the rendered page')
    .addHelpText('after', '\nExample:\n  coupa-dl simulator --port 8080 --pos 50 --latency-ms 500\n  then: coupa-dl run --base-url http://127.0.0.1:8080 --input pos.csv --out out\n  coupa-dl simulator --replay captured-pages --port 8080')
    .action(async (opts: { port: number; host: string; pos: number; seed: number; latencyMs: number; fileLatencyMs: number; bandwidthKbps?: number; auth: 'none' | 'password' | 'sso'; expireAfterPages?: number; pageStyle: PageStyle; fileHost: 'coupa' | 'storage'; replay?: string; replayServerHtml?: boolean }) => {
      // Loaded only for this command: the simulator weighs ~1 s and ~20 MB on every other command's start.
      const { startReplay, startSimulator } = await import('../../simulator/index.ts');
      if (opts.replay !== undefined) {
        const replay = await startReplay({ folder: opts.replay, host: opts.host, port: opts.port, source: opts.replayServerHtml === true ? 'server' : 'page' });
        line(app.stdout, `Replaying ${String(replay.pos.length)} captured purchase orders on ${replay.url}`);
        for (const po of replay.pos) line(app.stdout, `  ${po.meta.poNumber}: ${replay.url}/order_headers/${po.meta.poId}`);
        line(app.stdout, 'Press Ctrl-C to stop.');
        await new Promise<void>((resolve) => app.interrupt.addEventListener('abort', () => resolve(), { once: true }));
        await replay.close();
        return;
      }
      const simulator = await startSimulator({
        port: opts.port,
        host: opts.host,
        pos: opts.pos,
        seed: opts.seed,
        pageLatencyMs: opts.latencyMs,
        fileLatencyMs: opts.fileLatencyMs,
        bandwidthBytesPerSec: opts.bandwidthKbps === undefined ? null : opts.bandwidthKbps * 1024,
        pageStyle: opts.pageStyle,
        fileHost: opts.fileHost,
        auth: {
          mode: opts.auth,
          username: 'demo',
          password: 'demo',
          ...(opts.expireAfterPages === undefined ? {} : { expireAfterPageViews: opts.expireAfterPages }),
        },
      });
      const first = simulator.truth.pos[0];
      line(app.stdout, `Coupa simulator listening on ${simulator.url}`);
      line(app.stdout, `${simulator.truth.pos.length} purchase orders, e.g. ${simulator.url}/order_headers/${first?.id ?? ''}`);
      if (simulator.storageUrl !== null) line(app.stdout, `Files are served from the storage host ${simulator.storageUrl} (signed redirects).`);
      if (opts.auth === 'password') line(app.stdout, 'Sign-in: user "demo", password "demo".');
      line(app.stdout, `REST API (--source api): COUPA_CLIENT_ID=${simulator.apiClient.clientId} COUPA_CLIENT_SECRET=${simulator.apiClient.clientSecret}`);
      line(app.stdout, 'Press Ctrl-C to stop.');
      await new Promise<void>((resolve) => app.interrupt.addEventListener('abort', () => resolve(), { once: true }));
      await simulator.close();
    });
}
