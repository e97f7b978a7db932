import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { CONFIG_FILE_NAME, resolveConfig } from '../../../src/cli/config.ts';
import { addSettingOptions, flagsBySetting } from '../../../src/cli/commands/run.ts';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

let root: string;
let rootTemp: TempDir | undefined;
let work: string;
let out: string;

before(async () => {
  rootTemp = await tempDir('coupa-dl-config-');
  root = rootTemp.path;
  work = join(root, 'work');
  out = join(root, 'out');
  await mkdir(work);
  await mkdir(out);
});
after(() => rootTemp?.remove());

async function withConfigFile<T>(folder: string, content: string, body: () => T): Promise<T> {
  const file = join(folder, CONFIG_FILE_NAME);
  await writeFile(file, content);
  try {
    return body();
  } finally {
    await rm(file, { force: true });
  }
}

/** The message of the CONFIG_INVALID error that `body` throws. */
function configProblem(body: () => unknown): string {
  try {
    body();
  } catch (error) {
    assert.ok(error instanceof CoupaDlError, `expected a CoupaDlError, got ${String(error)}`);
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.message;
  }
  assert.fail('expected resolveConfig to reject the settings');
}

describe('resolveConfig', () => {
  it('takes the default when nothing else gives a value', () => {
    const { config, sources } = resolveConfig({ flags: {}, env: {}, configFolders: [work] });
    assert.equal(config.workers, 'auto');
    assert.equal(config.maxAttempts, 3);
    assert.equal(sources.workers, 'default');
  });

  it('prefers a flag over a COUPA_* variable over the config file over the default', async () => {
    await withConfigFile(work, JSON.stringify({ workers: 2, maxAttempts: 5, poMinDigits: 4 }), () => {
      const { config, sources } = resolveConfig({
        flags: { workers: '4' },
        env: { COUPA_WORKERS: '3', COUPA_MAX_ATTEMPTS: '6' },
        configFolders: [work],
      });
      assert.equal(config.workers, 4);
      assert.equal(sources.workers, 'flag');
      assert.equal(config.maxAttempts, 6);
      assert.equal(sources.maxAttempts, 'environment');
      assert.equal(config.poMinDigits, 4);
      assert.equal(sources.poMinDigits, 'config file');
      assert.equal(config.downloadConcurrency, 3);
      assert.equal(sources.downloadConcurrency, 'default');
    });
  });

  it('treats an empty COUPA_* variable as not set', () => {
    const { config, sources } = resolveConfig({ flags: {}, env: { COUPA_WORKERS: '' }, configFolders: [] });
    assert.equal(config.workers, 'auto');
    assert.equal(sources.workers, 'default');
  });

  it('reads the config file from the output folder when the working folder has none', async () => {
    await withConfigFile(out, JSON.stringify({ baseUrl: 'https://acme.coupahost.com/' }), () => {
      const { config, configFile } = resolveConfig({ flags: {}, env: {}, configFolders: [work, out] });
      assert.equal(config.baseUrl, 'https://acme.coupahost.com');
      assert.equal(configFile, join(out, CONFIG_FILE_NAME));
    });
  });

  it('uses the working folder’s config file before the output folder’s', async () => {
    await withConfigFile(out, JSON.stringify({ workers: 7 }), () =>
      withConfigFile(work, JSON.stringify({ workers: 5 }), () => {
        const { config, configFile } = resolveConfig({ flags: {}, env: {}, configFolders: [work, out] });
        assert.equal(config.workers, 5);
        assert.equal(configFile, join(work, CONFIG_FILE_NAME));
      }));
  });

  it('names an unknown key of the config file and lists the known settings', async () => {
    const message = await withConfigFile(work, JSON.stringify({ worker: 2 }), () =>
      configProblem(() => resolveConfig({ flags: {}, env: {}, configFolders: [work] })));
    assert.match(message, /Unknown setting `worker` in .*coupa-dl\.config\.json/);
    assert.match(message, /Known settings: .*workers/);
  });

  it('names a config file that is not valid JSON and says how to fix it', async () => {
    await withConfigFile(work, '{ "workers": 2, }', () => {
      try {
        resolveConfig({ flags: {}, env: {}, configFolders: [work] });
        assert.fail('expected an error');
      } catch (error) {
        assert.ok(error instanceof CoupaDlError);
        assert.equal(error.code, 'CONFIG_INVALID');
        assert.match(error.message, /coupa-dl\.config\.json is not valid JSON/);
        assert.match(error.hint ?? '', /one JSON object/);
      }
    });
  });

  it('rejects a config file holding something else than an object', async () => {
    const message = await withConfigFile(work, '[1, 2]', () => configProblem(() => resolveConfig({ flags: {}, env: {}, configFolders: [work] })));
    assert.match(message, /must hold one JSON object/);
  });

  it('names the flag, the expectation and the given value of a bad flag', () => {
    const message = configProblem(() => resolveConfig({ flags: { workers: '0' }, env: {}, configFolders: [] }));
    assert.equal(message, 'Expected `--workers` to be an integer from 1 to 16 (to 32 with --source api), or auto, got `0`.');
  });

  it('lets more workers than browsers run only through the API alone, where workers hold no browser', () => {
    assert.equal(resolveConfig({ flags: { workers: '32', source: 'api' }, env: {}, configFolders: [] }).config.workers, 32);
    for (const source of ['browser', 'auto']) {
      assert.match(configProblem(() => resolveConfig({ flags: { workers: '17', source }, env: {}, configFolders: [] })), /^`--workers 17` would start 17 browsers: at most 16\. More \(up to 32\) only through Coupa's API alone/);
    }
    assert.match(configProblem(() => resolveConfig({ flags: { workers: '33', source: 'api' }, env: {}, configFolders: [] })), /Expected `--workers` to be an integer from 1 to 16 \(to 32 with --source api\), or auto, got `33`\./);
  });

  it('names the variable of a bad COUPA_* value', () => {
    const message = configProblem(() => resolveConfig({ flags: {}, env: { COUPA_ISOLATION: 'tabs' }, configFolders: [] }));
    assert.equal(message, 'Expected `COUPA_ISOLATION` to be browser or context, got `tabs`.');
  });

  it('names the key and the file of a bad config-file value', async () => {
    const message = await withConfigFile(work, JSON.stringify({ navigationTimeoutMs: 10 }), () =>
      configProblem(() => resolveConfig({ flags: {}, env: {}, configFolders: [work] })));
    assert.equal(message, `Expected \`navigationTimeoutMs in ${join(work, CONFIG_FILE_NAME)}\` to be milliseconds from 5000 to 600000, got \`10\`.`);
  });

  it('rejects a Coupa address that is not an http(s) URL', () => {
    const message = configProblem(() => resolveConfig({ flags: { baseUrl: 'acme.coupahost.com' }, env: {}, configFolders: [] }));
    assert.equal(message, 'Expected `--base-url` to be an address like https://acme.coupahost.com, got `acme.coupahost.com`.');
  });

  it('reports every bad value together, one line each', async () => {
    const message = await withConfigFile(work, JSON.stringify({ colour: 'blue', maxAttempts: 99 }), () =>
      configProblem(() => resolveConfig({ flags: { workers: '17', poPrefixes: 'PO,P1' }, env: { COUPA_HEADED: 'maybe' }, configFolders: [work] })));
    const lines = message.split('\n');
    assert.equal(lines.length, 5, message);
    assert.ok(lines.some((l) => l.startsWith('Unknown setting `colour`')));
    assert.ok(lines.includes('`--workers 17` would start 17 browsers: at most 16. More (up to 32) only through Coupa\'s API alone (--source api), whose workers hold no browser.'), message);
    assert.ok(lines.includes('Expected `--po-prefixes` to be comma-separated letters, e.g. PO,PM, got `PO,P1`.'));
    assert.ok(lines.includes('Expected `COUPA_HEADED` to be true or false, got `maybe`.'));
    assert.ok(lines.some((l) => l.startsWith('Expected `maxAttempts in ') && l.endsWith('to be an integer from 1 to 10, got `99`.')));
  });

  it('turns the text of variables into typed values', () => {
    const { config } = resolveConfig({
      flags: {},
      env: { COUPA_HEADED: 'yes', COUPA_PO_PREFIXES: 'PO, PM ,X', COUPA_WORKERS: 'auto', COUPA_RECYCLE_AFTER: '250' },
      configFolders: [],
    });
    assert.equal(config.headed, true);
    assert.deepEqual(config.poPrefixes, ['PO', 'PM', 'X']);
    assert.equal(config.workers, 'auto');
    assert.equal(config.recycleAfter, 250);
  });

  it('takes the PDF settings from flags, variables and the config file, checked', async () => {
    const { config } = await withConfigFile(work, JSON.stringify({ mailPdf: false, pdfPageSize: 'letter' }), () =>
      resolveConfig({ flags: { savePoPdf: true }, env: { COUPA_MAIL_INLINE_IMAGE_MIN_KB: '5', COUPA_MAIL_PDF_SUFFIX: ' converted.pdf' }, configFolders: [work] }));
    assert.deepEqual([config.savePoPdf, config.mailPdf, config.pdfPageSize, config.mailInlineImageMinKb, config.mailPdfSuffix, config.poPrintPath], [true, false, 'Letter', 5, ' converted.pdf', '/order_headers/print_view?id={id}&version=1']);
    const message = configProblem(() => resolveConfig({ flags: { pdfPageSize: 'A3', mailPdfSuffix: '.docx', poPrintPath: 'print_view?id=1' }, env: {}, configFolders: [] }));
    assert.ok(message.includes('Expected `--pdf-page-size` to be A4 or Letter, got `A3`.'), message);
    assert.ok(message.includes('Expected `--mail-pdf-suffix` to be text ending in .pdf'), message);
    assert.ok(message.includes('Expected `--po-print-path` to be a path starting with / that holds {id}, got `print_view?id=1`.'), message);
  });

  it('reads the API settings: the source, the rate, the scopes from a list, the byte shape and the credentials file', () => {
    const defaults = resolveConfig({ flags: {}, env: {}, configFolders: [] }).config;
    assert.equal(defaults.source, 'browser');
    assert.equal(defaults.apiRate, 10);
    assert.deepEqual(defaults.apiScopes, ['core.purchase_order.read', 'core.requisition.read', 'core.comment.read', 'core.common.read']);
    assert.equal(defaults.apiFileShape, 'own-endpoint');
    const { config } = resolveConfig({
      flags: { source: 'api', apiRate: '2.5' },
      env: { COUPA_API_SCOPES: 'core.purchase_order.read, core.common.read  core.comment.read', COUPA_API_FILE_SHAPE: 'file-url', COUPA_API_CREDENTIALS_FILE: 'client.env' },
      configFolders: [],
    });
    assert.equal(config.source, 'api');
    assert.equal(config.apiRate, 2.5);
    assert.deepEqual(config.apiScopes, ['core.purchase_order.read', 'core.common.read', 'core.comment.read']);
    assert.equal(config.apiFileShape, 'file-url');
    assert.equal(config.apiCredentialsFile, 'client.env');
  });

  it('names every bad API setting together', () => {
    const message = configProblem(() => resolveConfig({ flags: { source: 'ftp', apiRate: '0', apiFileShape: 'zip' }, env: {}, configFolders: [] }));
    assert.match(message, /Expected `--source` to be browser, api or auto, got `ftp`\./);
    assert.match(message, /Expected `--api-rate` to be requests per second from 0\.5 to 200, got `0`\./);
    assert.match(message, /Expected `--api-file-shape` to be own-endpoint or file-url, got `zip`\./);
  });
});

describe('setting flags on a command', () => {
  it('counts `--no-mail-pdf` only when it is given, so COUPA_MAIL_PDF still applies without it', () => {
    const parsed = (args: string[]): Record<string, unknown> => {
      const command = addSettingOptions(new Command('run').exitOverride(), ['mailPdf', 'savePoPdf']);
      command.parse(args, { from: 'user' });
      return flagsBySetting(command);
    };
    assert.deepEqual(parsed([]), {});
    assert.deepEqual(parsed(['--no-mail-pdf', '--save-po-pdf']), { mailPdf: false, savePoPdf: true });
    assert.equal(resolveConfig({ flags: parsed([]), env: { COUPA_MAIL_PDF: 'false' }, configFolders: [] }).config.mailPdf, false);
  });
});
