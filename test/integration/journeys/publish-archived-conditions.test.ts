// An archived template's emails were sent and are still opened and clicked: a journey may ask
// about them ("opened the Spring sale email") in an If/else, a switch, a wait until, a goal or
// an exit condition, and publish. Only a Send email step refuses it; a deleted one is refused
// everywhere, at its field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentBuilder } from '@relance/flow';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];
let spring: string;
let welcome: string;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher }));
  const template = async (name: string) => {
    const created = await call('POST', '/api/templates', {
      name,
      kind: 'transactional',
      from: { name: 'Acme', address: 'news@acme.test' },
      subject: name,
      body: { kind: 'html', source: '<p>Hello</p>' },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  spring = await template('Spring sale');
  welcome = await template('Welcome');
  expect((await call('DELETE', `/api/templates/${spring}`)).status).toBe(204);
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const opened = (templateId: string) => ({
  kind: 'email' as const,
  action: 'opened' as const,
  op: 'at_least' as const,
  count: 1,
  templateId,
});

/**
 * manual → If/else on `ifOn` → switch → wait until → goal → send `sends` → exit, the run left
 * when it clicked `ifOn`'s email.
 */
function followUp(name: string, ifOn: string, sends = welcome) {
  const b = createDocumentBuilder(name, {
    exitConditions: [{ ...opened(spring), action: 'clicked' }],
  });
  b.node('start', 'trigger.manual', {}, 0, 0);
  b.node('if', 'logic.condition', { condition: opened(ifOn) }, 0, 1);
  b.node(
    'switch',
    'logic.switch',
    { cases: [{ id: 'clicked', condition: { ...opened(spring), action: 'clicked' } }] },
    0,
    2,
  );
  b.node('wait', 'wait.condition', { condition: opened(spring), timeout: '3d' }, 0, 3);
  b.node('goal', 'logic.goal', { condition: opened(spring), onMet: 'continue' }, 0, 4);
  b.node('send', 'action.send_email', { templateId: sends }, 0, 5);
  b.node('exit', 'logic.exit', {}, 0, 6);
  b.edge('start', 'if');
  b.edge('if', 'switch', 'yes');
  b.edge('if', 'exit', 'no');
  b.edge('switch', 'wait', 'clicked');
  b.edge('switch', 'exit', 'else');
  b.edge('wait', 'goal', 'met');
  b.edge('wait', 'exit', 'timeout');
  b.edge('goal', 'send');
  b.edge('send', 'exit');
  return b.build();
}

async function publish(document: unknown) {
  const created = await call('POST', '/api/journeys', document);
  expect(created.status).toBe(201);
  return call('POST', `/api/journeys/${created.body.id}/publish`, {});
}

describe('a journey asking about an archived template’s emails', () => {
  it('publishes with the template in its If/else, switch, wait until, goal and exit condition', async () => {
    const published = await publish(followUp('Spring follow-up', spring));
    expect(published.body.error).toBeUndefined();
    expect(published.status).toBe(201);
  });

  it('is refused when a step sends the archived template, naming it', async () => {
    const refused = await publish(followUp('Spring resend', spring, spring));
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([
      {
        field: 'nodes.send.config.templateId',
        message: 'The email template "Spring sale" is archived; choose another',
      },
    ]);
  });

  it('is refused when a condition names a deleted template, at its field', async () => {
    const refused = await publish(followUp('Gone follow-up', crypto.randomUUID()));
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([
      {
        field: 'nodes.if.config.condition.templateId',
        message: 'The email template chosen here was deleted; choose another',
      },
    ]);
  });
});
