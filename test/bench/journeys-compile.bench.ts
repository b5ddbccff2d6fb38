// Compile time of a 500-node flow: validate + compile to an immutable plan, as publishing does.
import { performance } from 'node:perf_hooks';
import { compile, createDocumentBuilder, validate, type FlowDocument } from '@relance/flow';
import { summarise, writeResult } from './lib';

const NODES = 500;

/**
 * A realistic large flow: a trigger, then repeating blocks of wait → condition (yes: email,
 * no: tag) → score, chained, ending in an exit. Every kind a long nurture flow uses.
 */
function largeFlow(nodes: number): FlowDocument {
  const b = createDocumentBuilder('Large flow');
  b.node('trigger', 'trigger.event', { event: 'signup', entryKey: 'formId' }, 0, 0);
  let previous = 'trigger';
  let count = 1;
  for (let i = 0; count + 5 < nodes; i++) {
    const row = i * 4;
    b.node(`wait_${i}`, 'wait.delay', { duration: '1d' }, 0, row + 1);
    b.node(
      `if_${i}`,
      'logic.condition',
      {
        condition: {
          kind: 'any',
          conditions: [
            { kind: 'property', property: 'plan', op: 'eq', value: 'pro' },
            { kind: 'email', action: 'opened', op: 'at_least', count: 2, within: '14d' },
          ],
        },
      },
      0,
      row + 2,
    );
    b.node(`send_${i}`, 'action.send_email', { templateId: `template-${i}` }, 0, row + 3);
    b.node(`tag_${i}`, 'action.tag', { add: [`step-${i}`] }, 1, row + 3);
    b.node(`score_${i}`, 'action.score', { delta: 1 }, 0, row + 4);
    b.edge(previous, `wait_${i}`);
    b.edge(`wait_${i}`, `if_${i}`);
    b.edge(`if_${i}`, `send_${i}`, 'yes');
    b.edge(`if_${i}`, `tag_${i}`, 'no');
    b.edge(`send_${i}`, `score_${i}`);
    b.edge(`tag_${i}`, `score_${i}`);
    previous = `score_${i}`;
    count += 5;
  }
  while (count < nodes - 1) {
    b.node(`pad_${count}`, 'wait.delay', { duration: '1h' }, 2, count);
    b.edge(previous, `pad_${count}`);
    previous = `pad_${count}`;
    count += 1;
  }
  b.node('exit', 'logic.exit', {}, 0, count);
  b.edge(previous, 'exit');
  return b.build();
}

const document = largeFlow(NODES);
if (document.nodes.length !== NODES) throw new Error(`Built ${document.nodes.length} nodes`);
if (validate(document).length > 0) throw new Error(JSON.stringify(validate(document)[0]));

// Warm up the JIT, then measure.
for (let i = 0; i < 5; i++) compile(document);
const samples: number[] = [];
for (let i = 0; i < 50; i++) {
  const started = performance.now();
  compile(document);
  samples.push(performance.now() - started);
}
const plan = compile(document);
await writeResult('journeys-compile', {
  goal: 'compile (validate + plan) of a 500-node flow; no absolute goal set, reported for tracking',
  nodes: Object.keys(plan.nodes).length,
  edges: document.edges.length,
  planBytes: JSON.stringify(plan).length,
  compile: summarise(samples),
});
