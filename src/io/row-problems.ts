import type { RowProblem } from '../domain/input-row.ts';

const SHOWN_PROBLEMS = 20;

/**
 * All invalid rows as one readable list, one line per row, so a sheet with ten bad rows is
 * fixed in one go. Long lists show the first 20 and say how many more there are.
 */
export function formatRowProblems(problems: readonly RowProblem[]): string {
  if (problems.length === 0) return '';
  const noun = problems.length === 1 ? 'row has a problem' : 'rows have problems';
  const lines = problems.slice(0, SHOWN_PROBLEMS).map((problem) => `  Row ${problem.rowNumber}: ${problem.message}`);
  const hidden = problems.length - SHOWN_PROBLEMS;
  if (hidden > 0) lines.push(`  … and ${hidden} more`);
  return [`${problems.length} ${noun}:`, ...lines].join('\n');
}
