/**
 * The LAST_PROCESSED format the earlier tool wrote and Excel reads as a date-time in any
 * locale: local wall-clock time `YYYY-MM-DD HH:MM:SS`, no time zone.
 */
export function localTimestamp(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
