import { describe, expect, it } from 'vitest';
import { withLogKeys } from '../../../shared/ports/log-keys.js';
import { consoleLog, powertoolsTelemetry } from '../../../shared/runtime/telemetry.js';
import { captureOutput } from '../../helpers/capture-output.js';

describe('telemetry adapters', () => {
  it('Powertools lines carry the record keys and the line fields', async () => {
    const telemetry = powertoolsTelemetry('process');
    const out = captureOutput();
    try {
      await withLogKeys({ delivery_id: 'wh-1', event_id: 'ev-1' }, async () => {
        telemetry.log.warn('record failed', { code: 'throttled' });
      });
      telemetry.log.info('outside');
    } finally {
      out.restore();
    }
    const lines = out.chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      message: 'record failed',
      delivery_id: 'wh-1',
      event_id: 'ev-1',
      code: 'throttled',
      service: 'process',
    });
    expect(lines[1]).toMatchObject({ message: 'outside' });
    expect(lines[1]).not.toHaveProperty('delivery_id');
  });

  it('the local console log prints the record keys too', async () => {
    const out = captureOutput();
    try {
      await withLogKeys({ delivery_id: 'wh-2' }, async () => consoleLog('local').info('hello', { n: 1 }));
    } finally {
      out.restore();
    }
    expect(out.chunks.join('')).toBe('[local] INFO hello delivery_id=wh-2 n=1\n');
  });
});
