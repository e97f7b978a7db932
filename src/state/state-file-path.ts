import { join } from 'node:path';

/** The folder inside the output folder where coupa-dl keeps its own bookkeeping. */
export const STATE_FOLDER_NAME = '.coupa-dl';

/**
 * Where the state store of an output folder lives: `<out>/.coupa-dl/state.sqlite`.
 * It sits beside the downloads so that moving or copying the output folder keeps
 * the statuses with the files they describe, and a resume needs nothing else.
 */
export function stateFilePath(outDir: string): string {
  return join(outDir, STATE_FOLDER_NAME, 'state.sqlite');
}
