import { z } from 'zod';
import { defineNode, quoted, requiredMessage, templateName } from '../common';

const NO_TEMPLATE = 'This email step has no template';

/** Sends an email template to the contact (subject to consent, quiet hours and frequency cap). */
export const ActionSendEmailConfig = z.strictObject({
  templateId: z
    .string({ error: requiredMessage(NO_TEMPLATE) })
    .trim()
    .min(1, NO_TEMPLATE),
  /** Subscription topic the contact must not have opted out of (`newsletter`, `offers`). */
  topic: z.string().trim().min(1, 'Choose a topic, or remove it').optional(),
});
export type ActionSendEmailConfig = z.infer<typeof ActionSendEmailConfig>;

/** `action.send_email` in a plan. */
export interface ActionSendEmailPlan {
  readonly templateId: string;
  readonly topic: string | null;
}

/** The `action.send_email` node kind: schema, ports, sentence and plan form, for the registry. */
export const actionSendEmail = defineNode({
  kind: 'action.send_email',
  group: 'action',
  label: 'Send email',
  schema: ActionSendEmailConfig,
  defaults: { templateId: '' },
  describe: (config, ctx) => `Send ${quoted(templateName(ctx, config.templateId))}`,
  compile: (config): ActionSendEmailPlan => ({
    templateId: config.templateId,
    topic: config.topic ?? null,
  }),
});
