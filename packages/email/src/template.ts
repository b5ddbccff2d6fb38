import { z } from 'zod';

/** A mailbox: display name plus address, e.g. `{ name: 'Acme', address: 'news@acme.test' }`. */
export const Mailbox = z.object({
  name: z.string().trim().max(200).default(''),
  address: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address')),
});
export type Mailbox = z.infer<typeof Mailbox>;

/** The body source: MJML (compiled to responsive HTML) or plain HTML used as is. */
export const TemplateBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mjml'), source: z.string().min(1, 'The body is empty') }),
  z.object({ kind: z.literal('html'), source: z.string().min(1, 'The body is empty') }),
]);
export type TemplateBody = z.infer<typeof TemplateBody>;

/** A subscription topic key such as `newsletter` or `product-updates`. */
export const TopicKey = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'Use lower-case letters, digits, - and _ (max 63)');
export type TopicKey = z.infer<typeof TopicKey>;

export const TemplateKind = z.enum(['marketing', 'transactional']);
export type TemplateKind = z.infer<typeof TemplateKind>;

/** An email template as a marketer saves it; every text field may use Liquid. */
export const Template = z
  .object({
    name: z.string().trim().min(1, 'Give the template a name').max(200),
    from: Mailbox,
    replyTo: Mailbox.nullable().default(null),
    subject: z.string().min(1, 'Write a subject line').max(500),
    preheader: z.string().max(500).default(''),
    body: TemplateBody,
    // When null the text part is generated from the HTML, so it never drifts from it.
    text: z.string().nullable().default(null),
    topic: TopicKey.nullable().default(null),
    kind: TemplateKind,
  })
  .superRefine((template, ctx) => {
    // Recipients opt out per topic, so a marketing email without one could not be opted out of.
    if (template.kind === 'marketing' && template.topic === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['topic'],
        message: 'A marketing email needs a topic so recipients can opt out of it',
      });
    }
  });
export type Template = z.infer<typeof Template>;
export type TemplateInput = z.input<typeof Template>;

/**
 * Why a message whose subject renders empty is not sent (clients show "(no subject)" and spam
 * filters penalise it): the contact lacks every value the subject is made of.
 */
export const EMPTY_SUBJECT_MESSAGE =
  'The subject is empty for this contact: add text around the variables, or a default ({{ contact.first_name | default: "there" }})';
