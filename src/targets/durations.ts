/**
 * Prometheus durations (`model.ParseDuration` of prometheus/common): `30s`, `1m30s`, `1h`,
 * `500ms`, `1d`, `1w`, `1y`, and `0`. Units in decreasing order, each at most once, whole
 * numbers only; a day is 24h, a week 7d, a year 365d. The operator's CRDs use the same grammar
 * (the `Duration` pattern), and the operator compares durations with this parser.
 */

const UNITS: readonly [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION_RE = /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;

/** Milliseconds of a Prometheus duration, or undefined when Prometheus would reject it. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '0') return 0;
  if (text === '') return undefined;
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * UNITS[i]![1];
  }
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * A duration in Prometheus syntax (`90000` -> `1m30s`). With `upToDays`, weeks and years are
 * written as days (`15d`, not `2w1d`), as people usually write them.
 */
export function formatDuration(ms: number, upToDays = false): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    if (upToDays && (unit === 'y' || unit === 'w')) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const LOOSE_UNITS: Record<string, number> = {
  ms: 1, msec: 1, msecs: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3600_000, hr: 3600_000, hrs: 3600_000, hour: 3600_000, hours: 3600_000,
  d: 86400_000, day: 86400_000, days: 86400_000,
  w: 604800_000, week: 604800_000, weeks: 604800_000,
};

/**
 * What a near-miss duration most likely means, in Prometheus syntax: `30sec` -> `30s`,
 * `1.5m` -> `1m30s`, `1m 30s` -> `1m30s`, `30` (a bare number) -> `30s`. Undefined when unclear.
 */
export function suggestDuration(text: unknown): string | undefined {
  if (typeof text === 'number' && Number.isFinite(text) && text >= 0) return formatDuration(Math.round(text * 1000), true);
  if (typeof text !== 'string') return undefined;
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(t)) return formatDuration(Math.round(Number(t) * 1000), true);
  let total = 0;
  let matched = 0;
  let weeks = false;
  const re = /([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*/g;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    if (m.index !== matched) return undefined;
    const size = LOOSE_UNITS[m[2]!];
    if (size === undefined) return undefined;
    total += Number(m[1]) * size;
    if (size >= LOOSE_UNITS.w!) weeks = true;
    matched = re.lastIndex;
  }
  if (matched !== t.length || matched === 0) return undefined;
  const ms = Math.round(total);
  const s = formatDuration(ms, !weeks);
  return s === text ? undefined : s;
}
