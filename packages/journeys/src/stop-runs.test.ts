import { WorkflowNotFoundError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { CALL_DEADLINE_MS, type RuntimeDeps } from './runtime-deps';
import { cancelRuns } from './stop-runs';

// The Temporal client at its boundary: each handle's cancel answers as `answer` says.
function clientAnswering(answer: (workflowId: string) => Promise<void>) {
  const asked: string[] = [];
  const deadlines: number[] = [];
  const deps = {
    concurrency: 4,
    client: {
      connection: {
        withDeadline: <T>(deadline: number, fn: () => Promise<T>) => {
          deadlines.push(deadline - Date.now());
          return fn();
        },
      },
      workflow: {
        getHandle: (workflowId: string) => ({
          cancel: () => {
            asked.push(workflowId);
            return answer(workflowId);
          },
        }),
      },
    },
  } as unknown as RuntimeDeps;
  return { deps, asked, deadlines };
}

const ids = Array.from({ length: 20 }, (_, i) => `run:${i}`);

describe('asking runs to stop', () => {
  it('counts the runs Temporal took, and a run already gone as no failure', async () => {
    const { deps, asked, deadlines } = clientAnswering((id) =>
      id === 'run:3'
        ? Promise.reject(new WorkflowNotFoundError('gone', id, undefined))
        : Promise.resolve(),
    );
    expect(await cancelRuns(deps, ids)).toEqual({ stopped: 19, failures: [] });
    expect(asked).toHaveLength(20);
    // Every call carries its deadline, so a silent server cannot hold the request.
    expect(deadlines.every((ms) => ms > 0 && ms <= CALL_DEADLINE_MS)).toBe(true);
  });

  it('once Temporal refuses, does not try the rest, and reports them with the reason', async () => {
    const { deps, asked } = clientAnswering(() =>
      Promise.reject(new Error('14 UNAVAILABLE: No connection established')),
    );
    const result = await cancelRuns(deps, ids);
    // Only the calls already in flight when the first refusal came back.
    expect(asked).toHaveLength(4);
    expect(result.stopped).toBe(0);
    expect(result.failures).toHaveLength(20);
    expect(result.failures[0]!.error).toBe('14 UNAVAILABLE: No connection established');
    expect(result.failures.at(-1)!.error).toBe(
      'not tried: 14 UNAVAILABLE: No connection established',
    );
  });
});
