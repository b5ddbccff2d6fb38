import { z } from 'zod';
import { defineNode, liquidText, quoted } from '../common';

/** Emails a teammate (sales alert, manual follow-up); not subject to marketing consent. */
export const ActionNotifyConfig = z.strictObject({
  to: z.email({
    error: (issue) =>
      issue.input === undefined
        ? 'Enter the teammate’s email address'
        : 'Enter a valid email address, such as sales@example.com',
  }),
  subject: liquidText('Enter a subject'),
  body: liquidText().default(''),
});
export type ActionNotifyConfig = z.infer<typeof ActionNotifyConfig>;

/** `action.notify` in a plan: subject and body are Liquid templates. */
export interface ActionNotifyPlan {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

/** The `action.notify` node kind: schema, ports, sentence and plan form, for the registry. */
export const actionNotify = defineNode({
  kind: 'action.notify',
  group: 'action',
  label: 'Notify a teammate',
  schema: ActionNotifyConfig,
  defaults: { to: '', subject: '', body: '' },
  describe: (config) => `Notify ${config.to}: ${quoted(config.subject)}`,
  compile: (config): ActionNotifyPlan => ({
    to: config.to,
    subject: config.subject,
    body: config.body,
  }),
});
