import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';

/** Why the questions stopped before the end: Ctrl-C, or the input ended (Ctrl-D, a closed pipe). */
export class PromptClosed extends Error {
  readonly reason: 'interrupted' | 'ended';
  constructor(reason: 'interrupted' | 'ended') {
    super(reason === 'interrupted' ? 'Stopped with Ctrl-C.' : 'No more answers.');
    this.reason = reason;
  }
}

export interface AskOptions {
  /** Shown in brackets and used when the answer is empty. */
  readonly fallback?: string;
  /** A message when the answer cannot be used (the question is asked again), else null. */
  readonly check?: (answer: string) => string | null | Promise<string | null>;
}

export interface Prompter extends Disposable {
  ask(question: string, options?: AskOptions): Promise<string>;
  /** Numbered choices; returns the index of the chosen one. */
  choose(question: string, choices: readonly string[], fallbackIndex?: number): Promise<number>;
  say(text?: string): void;
}

/**
 * Questions on any pair of streams (a terminal, or a PassThrough in tests). Lines are read
 * through the interface's iterator, which buffers them: answers piped in all at once are not lost
 * between two questions, as they would be with `rl.question()`.
 */
export function openPrompter(input: Readable, output: Writable): Prompter {
  const rl = createInterface({ input, output, terminal: (output as { isTTY?: boolean }).isTTY === true });
  const lines = rl[Symbol.asyncIterator]();
  let interrupted = false;
  let closed = false;
  rl.once('close', () => (closed = true));
  // On a terminal, readline turns Ctrl-C into this event instead of a signal.
  rl.on('SIGINT', () => {
    interrupted = true;
    output.write('\n');
    rl.close();
  });

  const readLine = async (prompt: string): Promise<string> => {
    // Piped answers may all have been read (and the interface closed) before the last question.
    if (closed) output.write(prompt);
    else {
      rl.setPrompt(prompt);
      rl.prompt();
    }
    const next = await lines.next();
    if (next.done === true) throw new PromptClosed(interrupted ? 'interrupted' : 'ended');
    // Windows "Copy as path" wraps paths in double quotes; nobody means them.
    return next.value.trim().replace(/^"(.*)"$/, '$1').trim();
  };

  const ask = async (question: string, options: AskOptions = {}): Promise<string> => {
    const prompt = options.fallback === undefined || options.fallback === '' ? `${question}: ` : `${question} [${options.fallback}]: `;
    for (;;) {
      const typed = await readLine(prompt);
      const answer = typed === '' ? (options.fallback ?? '') : typed;
      const problem = answer === '' ? 'Please type an answer.' : ((await options.check?.(answer)) ?? null);
      if (problem === null) return answer;
      output.write(`  ${problem}\n`);
    }
  };

  return {
    ask,
    async choose(question, choices, fallbackIndex = 0) {
      output.write(`${question}\n`);
      choices.forEach((choice, i) => output.write(`  ${i + 1}. ${choice}\n`));
      const picked = await ask('Your choice', {
        fallback: String(fallbackIndex + 1),
        check: (answer) => (/^\d+$/.test(answer) && Number(answer) >= 1 && Number(answer) <= choices.length ? null : `Type a number from 1 to ${choices.length}.`),
      });
      return Number(picked) - 1;
    },
    say(text = '') {
      output.write(`${text}\n`);
    },
    [Symbol.dispose]() {
      rl.close();
    },
  };
}
