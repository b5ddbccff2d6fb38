import { dispatchRecheckStep, recheckSegments, type RecheckInput } from '@relance/db';
import type { AppDeps } from './env';

/**
 * Re-checks a workspace's scores and segments after a setting they read changed, handing each
 * step's changes to the journeys as soon as it commits.
 */
export function recheckAfterSettings(
  deps: AppDeps,
  input: Omit<RecheckInput, 'onStep'>,
): ReturnType<typeof recheckSegments> {
  const log = deps.log ?? ((line: string) => console.error(line));
  return recheckSegments(deps.sql, {
    ...input,
    onStep: (step) => dispatchRecheckStep(deps.dispatcher, input.workspaceId, step, log),
  });
}
