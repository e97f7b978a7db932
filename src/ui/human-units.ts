/** Durations, sizes and rates as a procurement analyst reads them, shared by every display. */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** A task's duration: `2.1 s` under a minute, else `3 min 05 s`. */
export function formatSeconds(ms: number): string {
  if (ms < MINUTE_MS) return `${(Math.max(0, ms) / SECOND_MS).toFixed(1)} s`;
  return formatDuration(ms);
}

/** A longer span: `45 s`, `12 min 04 s`, `1 h 05 min`. */
export function formatDuration(ms: number): string {
  // Floored like the elapsed clock, so the summary and the last frame agree.
  const totalSeconds = Math.floor(Math.max(0, ms) / SECOND_MS);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours} h ${twoDigits(minutes)} min`;
  if (minutes > 0) return `${minutes} min ${twoDigits(seconds)} s`;
  return `${seconds} s`;
}

/** An elapsed clock that keeps its width while it ticks: `04:09`, `1:02:03`. */
export function formatClock(ms: number): string {
  const totalSeconds = Math.floor(Math.max(0, ms) / SECOND_MS);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours}:${twoDigits(minutes)}:${twoDigits(seconds)}` : `${twoDigits(minutes)}:${twoDigits(seconds)}`;
}

/** Time left, rounded up to whole minutes so it never promises too much: `11 min`, `2 h 05 min`. */
export function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return 'unknown';
  if (ms < MINUTE_MS) return 'under 1 min';
  const minutes = Math.ceil(ms / MINUTE_MS);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${twoDigits(minutes % 60)} min`;
}

/** `512 B`, `120 KB`, `1.5 MB`, `1.2 GB` (binary units, as file explorers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.max(0, Math.round(bytes))} B`;
  if (bytes < 1024 ** 2) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** `14.2` (POs per minute); `-` before there is a pace to show. */
export function formatRate(perMinute: number | null): string {
  return perMinute === null || !Number.isFinite(perMinute) ? '-' : perMinute.toFixed(1);
}
