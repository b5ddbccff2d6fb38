import { z } from 'zod';
import { eventCanBeMachine, type EventFilter } from '../condition';

/**
 * `humanOnly` on a trigger or wait for an event: leave out the opens and clicks flagged as a
 * machine's (`machine: true`: Apple Mail Privacy Protection's proxy opening every email on
 * delivery, a mail gateway's link scanner clicking every link). Without it, "wait for a click"
 * after a win-back email is answered by the recipient's scanner a second after delivery.
 * Absent, machines count, as they always have, so stored flows keep their meaning.
 */
export const HumanOnly = z.boolean().optional();

/** The refinement both nodes share: only `email.opened` and `email.clicked` can be a machine's. */
export const humanOnlyApplies: [
  (config: { event: string; humanOnly?: boolean | undefined }) => boolean,
  { path: string[]; message: string },
] = [
  (config) => config.humanOnly !== true || eventCanBeMachine(config.event),
  {
    path: ['humanOnly'],
    message:
      'Only email.opened and email.clicked can leave out machines: turn this off for other events',
  },
];

/** An event not flagged as a machine's (one without the flag is a person's). */
const NOT_MACHINE: EventFilter = { kind: 'property', property: 'machine', op: 'neq', value: true };

/**
 * The filter a plan runs: the marketer's `where`, and with `humanOnly` also "not a machine's",
 * so every runtime that matches events (the dispatcher starting runs, a wait's check) leaves
 * machines out without knowing about them.
 */
export function planWhere(config: {
  event: string;
  where?: EventFilter | undefined;
  humanOnly?: boolean | undefined;
}): EventFilter | null {
  const where = config.where ?? null;
  if (config.humanOnly !== true || !eventCanBeMachine(config.event)) return where;
  return where === null ? NOT_MACHINE : { kind: 'all', conditions: [where, NOT_MACHINE] };
}

/** ", counting only clicks by a person" for a `humanOnly` open or click; '' otherwise. */
export function describeHumanOnly(config: { event: string; humanOnly?: boolean | undefined }) {
  if (config.humanOnly !== true || !eventCanBeMachine(config.event)) return '';
  return `, counting only ${config.event === 'email.opened' ? 'opens' : 'clicks'} by a person`;
}
