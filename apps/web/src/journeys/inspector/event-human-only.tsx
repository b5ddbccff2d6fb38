import { eventCanBeMachine } from '@relance/flow';
import { HumanOnlyCheck } from '../../conditions/leaf-parts';
import type { KindFormProps } from './form-props';

/** The open or click an event is, when a machine can make it (`email.opened`, `email.clicked`). */
function machineAction(event: string): 'opened' | 'clicked' | undefined {
  return eventCanBeMachine(event) ? (event === 'email.opened' ? 'opened' : 'clicked') : undefined;
}

/**
 * The config after the marketer picks another event for a trigger or wait. Picking an open or a
 * click turns "only a person's" on: a journey waiting for a click after a win-back email means
 * the recipient's click, not their mail gateway's scanner clicking every link on delivery.
 * Another event drops it (it would be refused).
 */
export function withEvent(config: Record<string, unknown>, event: string): Record<string, unknown> {
  const next: Record<string, unknown> = { ...config, event };
  if (!eventCanBeMachine(event)) delete next.humanOnly;
  else if (event !== config.event) next.humanOnly = true;
  return next;
}

/** "Only count clicks by a person" under a trigger's or wait's event, for opens and clicks. */
export function EventHumanOnly({
  config,
  event,
  replace,
}: {
  config: Record<string, unknown>;
  event: string;
  replace: KindFormProps['replace'];
}) {
  const action = machineAction(event);
  if (!action) return null;
  return (
    <div className="inspector-check">
      <HumanOnlyCheck action={action} value={config} onChange={replace} />
    </div>
  );
}
