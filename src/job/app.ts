import type { Writable } from 'node:stream';

/**
 * What the outside world gives a command: streams, environment, working folder and the
 * Ctrl-C signals. Only src/cli/main.ts builds it from `process`; tests build their own.
 */
export interface App {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
  readonly pid: number;
  readonly isRoot: boolean;
  /** Aborted at the first Ctrl-C (SIGINT/SIGTERM): finish running POs, then stop. */
  readonly interrupt: AbortSignal;
  /** Aborted at the second Ctrl-C: kill our browsers now. */
  readonly kill: AbortSignal;
  readonly isInteractive: boolean;
  /**
   * How the user starts this tool, for the commands our messages suggest: `coupa-dl` when
   * installed with npm, `npx coupa-dl` in a checkout, the program's own name when standalone.
   */
  readonly commandName: string;
}

export const EXIT = {
  ok: 0,
  someFailed: 1,
  usage: 2,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function line(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
