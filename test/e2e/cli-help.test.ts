import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { cliEnv, cliPath, runCli } from '../support/cli.ts';

const COMMANDS = ['run', 'retry', 'report', 'login', 'profiles', 'capture', 'doctor', 'demo', 'simulator'] as const;

describe('coupa-dl --help', () => {
  it('lists every command with a description, examples and the exit codes', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const command of COMMANDS) {
      const entry = new RegExp(`^  ${command}\\b.*\\S`, 'm').exec(stdout)?.[0] ?? '';
      assert.ok(entry !== '', `${command} is not listed:\n${stdout}`);
      assert.doesNotMatch(entry, /not yet available/, `${command} has no description`);
    }
    assert.match(stdout, /Examples:\n {2}coupa-dl /);
    assert.match(stdout, /Exit codes:/);
    for (const code of ['0', '1', '2', '130']) assert.match(stdout, new RegExp(`^  ${code} +\\S`, 'm'), `exit code ${code} is not explained`);
  });

  for (const command of COMMANDS) {
    it(`shows what \`${command}\` does and examples of it`, async () => {
      const { code, stdout } = await runCli([command, '--help']);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`^Usage: coupa-dl ${command}`, 'm'));
      assert.match(stdout, /^Examples?:\n {2}coupa-dl /m, `no examples in \`${command} --help\`:\n${stdout}`);
      assert.ok(stdout.split('\n').filter((line) => line.startsWith(`  coupa-dl ${command}`)).length >= 1, `no example of \`coupa-dl ${command}\`:\n${stdout}`);
    });
  }

  it('names the flag and the COUPA_* variable of each setting in `run --help`', async () => {
    const { stdout } = await runCli(['run', '--help']);
    assert.match(stdout, /--workers <n\|auto>[\s\S]*?COUPA_WORKERS/);
    assert.match(stdout, /--base-url <url>[\s\S]*?COUPA_BASE_URL/);
  });

  it('ends quietly with exit 0 when the reader of its output goes away (`coupa-dl --help | head -1`)', async () => {
    const child = spawn(process.execPath, [cliPath, '--help'], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // The reader is gone before the help is written (as `head` is once it has its line): every write meets a closed pipe.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|at \S+ \(/);
  });
});
