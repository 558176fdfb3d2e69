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

  it("an invocation that counted nothing prints no warning (Powertools' empty-metrics notice is a debug line)", () => {
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    const out = captureOutput();
    try {
      const telemetry = powertoolsTelemetry('deliver');
      telemetry.metrics.publishStoredMetrics();
      telemetry.log.info('still logging');
    } finally {
      out.restore();
      if (level === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
      else process.env.POWERTOOLS_LOG_LEVEL = level;
    }
    const printed = out.chunks.join('');
    expect(printed).toContain('still logging');
    expect(printed).not.toContain('No application metrics');
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
