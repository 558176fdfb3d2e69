import { describe, expect, it } from 'vitest';
import { withCurrentLogKeys, withLogKeys } from '../../../shared/ports/log-keys.js';
import { MemoryLog } from '../../helpers/fakes.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('withLogKeys', () => {
  it('puts the keys on every line written inside, however deep, and removes them afterwards', async () => {
    const log = new MemoryLog();
    const deep = async () => {
      await tick();
      log.info('deep inside a stage', { stage: 'identity' });
    };
    await withLogKeys({ delivery_id: 'd-1', event_id: 'e-1' }, deep);
    log.info('after the record');
    expect(log.lines).toEqual([
      {
        level: 'info',
        message: 'deep inside a stage',
        fields: { delivery_id: 'd-1', event_id: 'e-1', stage: 'identity' },
      },
      { level: 'info', message: 'after the record', fields: {} },
    ]);
  });

  it('keeps records handled concurrently apart', async () => {
    const log = new MemoryLog();
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        withLogKeys({ delivery_id: id }, async () => {
          for (let i = 0; i < 3; i += 1) {
            await tick();
            log.info('step', { step: i, expected: id });
          }
        }),
      ),
    );
    expect(log.lines).toHaveLength(9);
    for (const line of log.lines) expect(line.fields.delivery_id).toBe(line.fields.expected);
  });

  it('drops undefined keys, nests, and lets a line own fields win', async () => {
    await withLogKeys({ delivery_id: 'outer', event_id: undefined }, () =>
      withLogKeys({ event_id: 'inner' }, async () => {
        expect(withCurrentLogKeys({ delivery_id: 'explicit' })).toEqual({
          delivery_id: 'explicit',
          event_id: 'inner',
        });
      }),
    );
    expect(withCurrentLogKeys(undefined)).toBeUndefined();
  });
});
