import { describe, expect, it } from 'vitest';
import { utcIsoTime } from '../../../shared/sources/source-time.js';

describe('utcIsoTime', () => {
  it('reads offsets, zone-less times as UTC, and the "date time UTC" form', () => {
    expect(utcIsoTime('2023-10-05T13:35:01+02:00')).toBe('2023-10-05T11:35:01.000Z');
    expect(utcIsoTime('2023-10-05T13:35:01-0500')).toBe('2023-10-05T18:35:01.000Z');
    expect(utcIsoTime('2019-06-05T09:30:14.963')).toBe('2019-06-05T09:30:14.963Z');
    expect(utcIsoTime('  2018-02-20 14:12:13 UTC ')).toBe('2018-02-20T14:12:13.000Z');
    expect(utcIsoTime('2018-02-20 14:12:13utc')).toBe('2018-02-20T14:12:13.000Z');
    expect(utcIsoTime('2021-01-01T00:00:00Z')).toBe('2021-01-01T00:00:00.000Z');
  });

  it('rejects text that is not a time, including text longer than any timestamp', () => {
    expect(utcIsoTime('')).toBeUndefined();
    expect(utcIsoTime('last tuesday')).toBeUndefined();
    expect(utcIsoTime(`2018-02-20${' '.repeat(100)}UTC`)).toBeUndefined();
    expect(utcIsoTime(`2018-02-20T00:00:00${'0'.repeat(60)}`)).toBeUndefined();
  });
});
