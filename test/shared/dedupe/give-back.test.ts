import { describe, expect, it } from 'vitest';
import { giveBack } from '../../../shared/dedupe/give-back.js';
import { recordingTelemetry } from '../../helpers/fakes.js';

describe('giveBack', () => {
  it('gives the key back quietly when the release works', async () => {
    const telemetry = recordingTelemetry();
    let released = 0;
    await giveBack(
      'order-completed#shop#1',
      async () => {
        released += 1;
      },
      telemetry,
    );
    expect(released).toBe(1);
    expect(telemetry.counters.get('KeyGiveBackFailed')).toBe(0);
    expect(telemetry.log.lines).toEqual([]);
  });

  it('never throws when the release fails: counts it and logs the key kind and failure code, not the key', async () => {
    const telemetry = recordingTelemetry();
    await expect(
      giveBack(
        'order-completed#demo.myshopify.com#820982911946154508',
        async () => {
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' });
        },
        telemetry,
      ),
    ).resolves.toBeUndefined();
    expect(telemetry.counters.get('KeyGiveBackFailed')).toBe(1);
    expect(telemetry.log.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ key_kind: 'order-completed' }),
      }),
    ]);
    expect(JSON.stringify(telemetry.log.lines)).not.toContain('820982911946154508');
  });
});
