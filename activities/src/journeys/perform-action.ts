import type {
  PerformActionInput,
  PerformActionResult,
} from '@relance/workflows/journey-activities';
import type { ActionDone } from './actions/action-result';
import { performContactAction, performSegmentAction } from './actions/database-actions';
import { performNotify } from './actions/notify';
import { performWebhook } from './actions/webhook';
import type { JourneyActivityDeps } from './deps';
import { evaluateGuard, flushSteps, positionRun } from './gate';

async function act(deps: JourneyActivityDeps, input: PerformActionInput): Promise<ActionDone> {
  const node = input.node;
  switch (node.kind) {
    case 'action.segment':
      return performSegmentAction(deps, { ...input, node });
    case 'action.tag':
    case 'action.set_property':
    case 'action.score':
      return performContactAction(deps, { ...input, node });
    case 'action.webhook':
      return performWebhook(deps, { ...input, node });
    case 'action.notify':
      return performNotify(deps, { ...input, node });
    default: {
      const unreachable: never = node;
      throw new Error(`Unknown action ${JSON.stringify(unreachable)}`);
    }
  }
}

/** One action step: flush, guard, hold while paused, then the idempotent side effect. */
export async function performAction(
  deps: JourneyActivityDeps,
  input: PerformActionInput,
): Promise<PerformActionResult> {
  await flushSteps(deps, input.run, input.records);
  const guard = await evaluateGuard(deps, input.run, input.guard, input.at);
  if (guard.kind !== 'clear') return { kind: 'guarded', guard };
  if ((await positionRun(deps, input.run, input.current, true, input.at)) === 'held') {
    return { kind: 'held' };
  }
  return { kind: 'done', ...(await act(deps, input)) };
}
