import { expect, it } from 'vitest';
import { draftOf } from './convert';
import { draftFromDocument } from './draft';
import { createEditorStore } from './store';

// Version 1 sent "20% off" from send_email_1 and waited at wait_1; the draft deleted both.
const draft = draftFromDocument({
  name: 'Reactivation',
  settings: {},
  nodes: [
    { id: 'trigger_1', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
    { id: 'exit_1', kind: 'logic.exit', position: { x: 0, y: 200 }, config: {} },
  ],
  edges: [{ from: 'trigger_1', port: 'out', to: 'exit_1' }],
});

it('never gives a new step an id a published version used, though the draft freed it', () => {
  const store = createEditorStore(draft);
  const s = () => store.getState();
  s().setUsedIds(['trigger_1', 'send_email_1', 'wait_1', 'exit_1']);
  const survey = s().addNode('action.send_email', { edgeId: 'trigger_1:out' })!;
  expect(survey).toBe('send_email_2');
  const wait = s().addNode('wait.delay', { position: { x: 300, y: 0 } })!;
  expect(wait).toBe('wait_2');
  // Pasted steps too.
  s().select([survey]);
  s().paste(s().copySelected()!, { x: 600, y: 600 });
  expect(draftOf(s()).nodes.map((n) => n.id)).toEqual([
    'trigger_1',
    'exit_1',
    'send_email_2',
    'wait_2',
    'send_email_3',
  ]);
});

it('takes the lowest free id when no version used it', () => {
  const store = createEditorStore(draft);
  expect(store.getState().addNode('action.send_email', { edgeId: 'trigger_1:out' })).toBe(
    'send_email_1',
  );
});
