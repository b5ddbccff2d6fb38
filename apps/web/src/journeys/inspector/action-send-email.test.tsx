import { describe, expect, it } from 'vitest';
import { renderForTest } from '../../lib/render-for-test';
import { templateKeys } from '../../templates/template-api';
import { ActionSendEmailForm } from './action-send-email';

const topics = {
  topics: [
    { key: 'offers', name: 'Offers', description: '', optIn: true, important: false },
    { key: 'newsletter', name: 'Newsletter', description: '', optIn: false, important: false },
  ],
};

const render = (config: Record<string, unknown>) =>
  renderForTest(
    <ActionSendEmailForm config={config} set={() => {}} replace={() => {}} names={{}} />,
    { timezone: 'UTC', queries: [[templateKeys.topics, topics]] },
  );

/** The options of the topic select, as `value=label` (with `*` on the selected one). */
function topicOptions(html: string): string[] {
  const select = /<select[^>]*>((?:(?!<\/select>).)*)<\/select>(?![\s\S]*<select)/.exec(html);
  return [...(select?.[1] ?? '').matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)</g)].map(
    ([, value, selected, label]) => `${value}=${label}${selected ? '*' : ''}`,
  );
}

describe('the send email step’s topic', () => {
  it('is chosen among the workspace’s topics, or left to the template', () => {
    expect(topicOptions(render({ templateId: 't1' }))).toEqual([
      '=Same topic as the template*',
      'offers=Offers',
      'newsletter=Newsletter',
    ]);
    expect(topicOptions(render({ templateId: 't1', topic: 'offers' }))).toContain('offers=Offers*');
  });

  it('is no free text: a topic that does not exist shows as missing', () => {
    const html = render({ templateId: 't1', topic: 'ofers' });
    expect(html).not.toContain('placeholder="offers"');
    expect(topicOptions(html)).toEqual([
      '=Same topic as the template',
      'ofers=Missing: ofers*',
      'offers=Offers',
      'newsletter=Newsletter',
    ]);
  });
});
