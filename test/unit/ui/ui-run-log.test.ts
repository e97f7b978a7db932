import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openRunLog, runLogPath, scrubSecrets } from '../../../src/ui/run-log.ts';
import { recordedRun } from '../../support/recorded-run.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

const dirs: TempDir[] = [];
/** A new temp folder, removed after the file's tests. */
async function logDir(): Promise<string> {
  const dir = await tempDir('coupa-ui-log-');
  dirs.push(dir);
  return dir.path;
}
after(async () => {
  for (const dir of dirs) await dir.remove();
});

async function records(filePath: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(filePath, 'utf8');
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('run log', () => {
  it('names one file per run in the logs folder of the output folder', () => {
    assert.equal(runLogPath('/out', new Date(Date.UTC(2025, 0, 15, 9, 0, 0, 123))), path.join('/out', 'logs', 'run-2025-01-15T09-00-00Z.log'));
  });

  it('writes every event as a JSON line, and everything is on disk once closed', async () => {
    const filePath = path.join(await logDir(), 'logs', 'run.log');
    const log = openRunLog({ filePath });
    for (const event of recordedRun) log.listener(event);
    log.info('report written', { rows: 11 });
    await log.close();
    const lines = await records(filePath);
    assert.deepEqual(lines.slice(0, -1).map((line) => line['event']), recordedRun.map((event) => event.type));
    const crash = lines.find((line) => line['event'] === 'worker-stopped' && line['reason'] === 'crashed');
    assert.equal(crash?.['level'], 'warn');
    assert.deepEqual([lines.at(-1)?.['msg'], lines.at(-1)?.['rows'], lines.at(-1)?.['level']], ['report written', 11, 'info']);
    assert.equal(typeof lines[0]?.['time'], 'string');
  });

  it('keeps session cookies, passwords and tokens out of the file', async () => {
    const filePath = path.join(await logDir(), 'run.log');
    const log = openRunLog({ filePath });
    log.warn('sign-in check sent Cookie: _coupa_session=abc123; path=/', { password: 'hunter2', request: { headers: { authorization: 'Bearer tok-999', cookie: '_coupa_session=abc123' } } });
    log.error('login failed for user=ana&password=hunter2', { err: new Error('session _coupa_session=abc123 expired') });
    log.listener({ type: 'task-retry', at: 0, key: 'PO1', attempt: 2, delayMs: 1, reason: 'GET /login?token=tok-999 failed' });
    // Secret-named fields deep down, and a response's set-cookie header.
    log.info('answer', { response: { request: { session: { frame: { accessToken: 'deep-777' } } }, headers: { 'set-cookie': ['_coupa_session=abc123'] } } });
    await log.close();
    const text = await readFile(filePath, 'utf8');
    for (const secret of ['abc123', 'hunter2', 'tok-999', 'deep-777']) assert.ok(!text.includes(secret), `${secret} is in the log`);
    assert.equal((await records(filePath)).length, 4);
  });

  it('may be closed twice and ignores messages after closing', async () => {
    const filePath = path.join(await logDir(), 'run.log');
    const log = openRunLog({ filePath });
    log.info('one');
    await log.close();
    log.info('two');
    await log.close();
    assert.deepEqual((await records(filePath)).map((line) => line['msg']), ['one']);
  });
});

describe('scrubSecrets', () => {
  it('removes session cookies, passwords and bearer tokens but leaves ordinary text', () => {
    assert.equal(scrubSecrets('cookie _coupa_session=abc123; path=/'), 'cookie _coupa_session=[REDACTED]; path=/');
    assert.equal(scrubSecrets('user=ana&password=hunter2&po=1'), 'user=ana&password=[REDACTED]&po=1');
    assert.equal(scrubSecrets('Authorization: Bearer eyJ.abc'), 'Authorization: [REDACTED]');
    assert.equal(scrubSecrets('sent Bearer eyJ.abc'), 'sent Bearer [REDACTED]');
    assert.equal(scrubSecrets('{"password":"s3cret","user":"ana"}'), '{"password":"[REDACTED]","user":"ana"}');
    assert.equal(scrubSecrets('PO100012 not found; waited for tokens list'), 'PO100012 not found; waited for tokens list');
  });
});
