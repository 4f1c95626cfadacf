const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB"; three significant digits, as the Python tool shows sizes. */
export function formatBytes(bytes: number): string {
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1048575 B must read "1 MiB", not "1024 KiB": move up a unit when rounding reaches 1024.
  if (unit < UNITS.length - 1 && Math.round(value) >= 1024) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${bytes < 0 ? '-' : ''}${Number(value.toFixed(digits))} ${UNITS[unit]}`;
}

export function formatSignedBytes(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

/** Seconds as a person says them: "1 s", "2.5 s", "90 s". */
export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(seconds < 10 ? 2 : 1))} s`;
}

/** "12:00:01" in UTC, for times within one report. */
export function formatClock(time: Date): string {
  return time.toISOString().slice(11, 19);
}
