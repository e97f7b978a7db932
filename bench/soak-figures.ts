import type { TreeSample } from './tree-sampler.ts';

/**
 * Memory over a long run: PSS when 10 %, 50 % and 100 % of the POs were done, and the slope of
 * a least-squares line through every sample after the first 10 % (warm-up: browsers starting,
 * caches filling). Flat means the slope stays under 5 MB per 100 POs.
 */
export interface SoakFigures {
  readonly pos: number;
  readonly pssAt10Mb: number | null;
  readonly pssAt50Mb: number | null;
  readonly pssAt100Mb: number | null;
  readonly slopeMbPer100Pos: number | null;
  readonly flat: boolean;
  readonly summary: string;
  /** Every 10th percent of progress: PSS then, for the docs' chart. */
  readonly curve: readonly { readonly percentDone: number; readonly pssMb: number }[];
}

export const FLAT_SLOPE_MB_PER_100 = 5;
const MB = 1024 * 1024;

/**
 * PSS of the first sample taken once `fraction` of the POs were done. PSS is read every ~2 s and
 * the CLI exits ~0.2 s after its last PO, so for the end this is mostly the last sample taken.
 */
function pssWhenDone(samples: readonly TreeSample[], total: number, fraction: number): number | null {
  const sample = samples.find((s) => s.posDone >= Math.ceil(fraction * total)) ?? (fraction >= 1 ? samples.at(-1) : undefined);
  return sample === undefined ? null : Math.round(sample.pssBytes / MB);
}

export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let numerator = 0;
  let denominator = 0;
  for (const p of points) {
    numerator += (p.x - meanX) * (p.y - meanY);
    denominator += (p.x - meanX) ** 2;
  }
  return denominator === 0 ? null : numerator / denominator;
}

export function soakFigures(samples: readonly TreeSample[], total: number): SoakFigures {
  // Samples while the tree is up; the last ones after every PO is done are shutdown, not work.
  const working = samples.filter((s) => s.pssBytes > 0 && s.posDone < total);
  const done = samples.find((s) => s.posDone >= total);
  const measured = done === undefined ? working : [...working, done];
  const afterWarmUp = measured.filter((s) => s.posDone >= 0.1 * total).map((s) => ({ x: s.posDone, y: s.pssBytes / MB }));
  const slope = leastSquaresSlope(afterWarmUp);
  const slopePer100 = slope === null ? null : Number((slope * 100).toFixed(2));
  const at = (fraction: number) => pssWhenDone(measured, total, fraction);
  const flat = slopePer100 !== null && slopePer100 < FLAT_SLOPE_MB_PER_100;
  const curve = Array.from({ length: 10 }, (_, i) => ({ percentDone: (i + 1) * 10, pssMb: at((i + 1) / 10) ?? 0 }));
  return {
    pos: total,
    pssAt10Mb: at(0.1),
    pssAt50Mb: at(0.5),
    pssAt100Mb: at(1),
    slopeMbPer100Pos: slopePer100,
    flat,
    summary: `PSS ${String(at(0.1))} / ${String(at(0.5))} / ${String(at(1))} MB at 10/50/100 %, slope ${String(slopePer100)} MB per 100 POs`,
    curve,
  };
}
