import type { DestinationPerson, QaPersonRef } from './qa-destination.js';

/** One thing that should be true in Customer.io after a scenario. */
export type QaCheck =
  | {
      readonly kind: 'event';
      readonly name: string;
      /** Properties the event must carry (equal values). */
      readonly data?: Readonly<Record<string, unknown>>;
      readonly says: string;
    }
  | {
      readonly kind: 'no-event';
      readonly name: string;
      /** Absence proves something only once the time it would have come has passed (epoch ms). */
      readonly notBefore: number;
      readonly says: string;
    }
  | {
      readonly kind: 'attribute';
      readonly name: string;
      /** The value it must have; with `absent`, it must not be set at all. */
      readonly value?: unknown;
      readonly absent?: true;
      readonly says: string;
    }
  | {
      readonly kind: 'merged';
      readonly anonymousId: string;
      /** An event the browser sent while anonymous, which shows on the person once merged. */
      readonly anonymousEvent: string;
      readonly says: string;
    };

/** A check's verdict. */
export interface CheckResult {
  readonly says: string;
  readonly status: 'pass' | 'fail' | 'manual';
  readonly detail: string;
}

const sameValue = (a: unknown, b: unknown): boolean => String(a) === String(b);

/** Whether a check holds for what the destination shows now, and why. */
export const evaluateCheck = (
  check: QaCheck,
  person: DestinationPerson,
  now: number,
): { readonly ok: boolean; readonly final: boolean; readonly detail: string } => {
  if (!person.found) return { ok: false, final: false, detail: 'person not found yet' };
  switch (check.kind) {
    case 'event': {
      const found = person.events.filter((e) => e.name === check.name);
      const fits = found.find((e) =>
        Object.entries(check.data ?? {}).every(([k, v]) => sameValue(e.data[k], v)),
      );
      return fits
        ? { ok: true, final: true, detail: `"${check.name}" received` }
        : {
            ok: false,
            final: false,
            detail:
              found.length > 0
                ? `"${check.name}" received without ${JSON.stringify(check.data)}`
                : `no "${check.name}" yet`,
          };
    }
    case 'no-event': {
      const found = person.events.some((e) => e.name === check.name);
      if (found) return { ok: false, final: true, detail: `"${check.name}" was sent` };
      return now >= check.notBefore
        ? { ok: true, final: true, detail: `no "${check.name}" after its due time` }
        : { ok: false, final: false, detail: `waiting until "${check.name}" would be due` };
    }
    case 'attribute': {
      const has = Object.hasOwn(person.attributes, check.name);
      if (check.absent) {
        return has
          ? {
              ok: false,
              final: true,
              detail: `${check.name} is set (${String(person.attributes[check.name])})`,
            }
          : { ok: true, final: false, detail: `${check.name} not set` };
      }
      return has && sameValue(person.attributes[check.name], check.value)
        ? { ok: true, final: true, detail: `${check.name} = ${String(check.value)}` }
        : {
            ok: false,
            final: false,
            detail: has
              ? `${check.name} = ${String(person.attributes[check.name])}`
              : `${check.name} not set yet`,
          };
    }
    case 'merged': {
      const merged =
        person.mergedAnonymousIds?.includes(check.anonymousId) ??
        person.events.some((e) => e.name === check.anonymousEvent);
      return merged
        ? { ok: true, final: true, detail: `browser ${check.anonymousId} merged` }
        : { ok: false, final: false, detail: `browser ${check.anonymousId} not merged yet` };
    }
  }
};

/** Exactly where to look in Customer.io for a check, when no App API key was given. */
export const whereToLook = (check: QaCheck, who: QaPersonRef): string => {
  const person = `People → search "${who.email}" (id ${who.id}) → Activity`;
  switch (check.kind) {
    case 'event':
      return `${person}: an event "${check.name}"${check.data ? ` with ${JSON.stringify(check.data)}` : ''}`;
    case 'no-event':
      return `${person}: NO event "${check.name}" after ${new Date(check.notBefore).toISOString()}`;
    case 'attribute':
      return check.absent
        ? `${person} → Attributes: no attribute "${check.name}"`
        : `${person} → Attributes: "${check.name}" = ${String(check.value)}`;
    case 'merged':
      return `${person}: the anonymous "${check.anonymousEvent}" of browser ${check.anonymousId} shows on this person`;
  }
};
