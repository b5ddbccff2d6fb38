import { createJourney, type Sql } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import type { JourneyRuntime } from '@relance/journeys';

/**
 * Publishes "trigger → tag → exit", the smallest journey with one action: triggered by `event`,
 * or manual without one.
 */
export async function publishTagJourney(
  sql: Sql,
  runtime: JourneyRuntime,
  options: {
    workspaceId: string;
    name: string;
    event?: string;
    tag: string;
  },
): Promise<{ journeyId: string; versionId: string }> {
  const b = createDocumentBuilder(options.name);
  if (options.event) b.node('trigger', 'trigger.event', { event: options.event }, 0, 0);
  else b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('tag', 'action.tag', { add: [options.tag] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  const document = b.build();
  const { workspaceId } = options;
  const journey = await createJourney(sql, { workspaceId, name: options.name, draft: document });
  const published = await runtime.publish({
    workspaceId,
    journeyId: journey.id,
    document,
    carryOver: 'keep',
  });
  if (!published.ok) throw new Error(`publishing ${options.name} failed`);
  return { journeyId: journey.id, versionId: published.versionId };
}
