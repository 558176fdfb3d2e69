/*
 * ISO 8601 UTC strings without the engine's slow path. V8's Date.prototype.toISOString costs about 0.6 us, as much
 * as a tenth of what verifying a small webhook does, and the pipeline formats several times per delivery
 * (receive time, event times). The arithmetic below gives the same string for every time value in years
 * 0000-9999; anything else (other years, NaN) goes to the engine, which formats or throws as before.
 */

const MS_PER_DAY = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 10000-01-01T00:00:00.000Z. */
const FIRST = -62_167_219_200_000;
const END = 253_402_300_800_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const pad4 = (n: number): string => (n < 1000 ? `0${pad3(n)}` : `${n}`);

/** `new Date(ms).toISOString()`, faster: e.g. 2026-11-28T10:00:00.000Z. Throws RangeError for NaN, as it does. */
export const isoString = (ms: number): string => {
  const t = Math.trunc(ms);
  if (!(t >= FIRST && t < END)) return new Date(ms).toISOString();
  const days = Math.floor(t / MS_PER_DAY);
  let rest = t - days * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level date algorithms").
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(millis)}Z`;
};

/** `new Date(text).toISOString()`, faster: any date string the engine reads, in UTC. Throws RangeError when unreadable. */
export const isoStringOf = (text: string): string => isoString(Date.parse(text));
