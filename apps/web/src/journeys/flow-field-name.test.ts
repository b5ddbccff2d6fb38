import { describe, expect, it } from 'vitest';
import { flowFieldName } from './flow-field-name';

const nodes = [
  { id: 'send_email_1', kind: 'action.send_email', config: { templateId: 'tpl_1' } },
  { id: 'wait_2', kind: 'wait.delay', config: { duration: '3d' } },
];
const name = flowFieldName(nodes, { templateName: (id) => (id === 'tpl_1' ? 'Welcome' : id) });

describe('flowFieldName', () => {
  it.each([
    ['nodes.send_email_1.config.templateId', "Send 'Welcome' — email template"],
    ['nodes.wait_2.config.duration', 'Wait 3 days — how long'],
    ['nodes.wait_2', 'Wait 3 days'],
    ['settings.quietHours.start', 'Journey settings'],
  ])('%s reads “%s”', (field, words) => {
    expect(name(field)).toBe(words);
  });

  it('has no name for a step it does not know or a field outside the flow', () => {
    expect(name('nodes.gone_3.config.duration')).toBeUndefined();
    expect(name('(flow)')).toBeUndefined();
  });
});
