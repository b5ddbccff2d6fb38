import { z } from 'zod';
import { defineNode, liquidText } from '../common';
import { PropertyPath } from '../condition';

const HTTP_URL = /^https?:\/\/[^\s/?#]+/i;

/** HTTP methods a webhook step may use. */
export const WebhookMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], {
  error: 'Choose GET, POST, PUT, PATCH or DELETE',
});
export type WebhookMethod = z.infer<typeof WebhookMethod>;

/** Copies one value of the JSON response onto the contact (enrichment services). */
export const WebhookSave = z.strictObject({
  /** Dotted path into the response JSON: `data.company.name`, `results.0.score`. */
  path: z
    .string({ error: 'Enter where in the response the value is' })
    .regex(/^[\w-]+(\.[\w-]+)*$/, 'Write response paths with dots, such as data.company.name'),
  property: PropertyPath,
});
export type WebhookSave = z.infer<typeof WebhookSave>;

/** Calls an HTTP endpoint; retried with backoff by the runtime. */
export const ActionWebhookConfig = z
  .strictObject({
    url: liquidText('Enter the address to call').refine(
      (url) => HTTP_URL.test(url),
      'The address must start with http:// or https://',
    ),
    method: WebhookMethod.default('POST'),
    headers: z
      .record(
        z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'Header names are letters, digits and -'),
        liquidText(),
      )
      .default({}),
    /** Request body, usually JSON, with Liquid. */
    body: liquidText().optional(),
    timeoutMs: z
      .number({ error: 'Enter a timeout in milliseconds' })
      .int('Use whole milliseconds')
      .min(100, 'Allow the call at least 100 ms')
      .max(30_000, 'A call may take at most 30 seconds (30000 ms)')
      .default(10_000),
    save: z.array(WebhookSave).default([]),
  })
  .superRefine((config, ctx) => {
    if (config.method === 'GET' && config.body !== undefined && config.body.trim() !== '') {
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: 'A GET request cannot have a body; use POST or remove the body',
      });
    }
  });
export type ActionWebhookConfig = z.infer<typeof ActionWebhookConfig>;

/** `action.webhook` in a plan: url, header values and body are Liquid templates. */
export interface ActionWebhookPlan {
  readonly url: string;
  readonly method: WebhookMethod;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly timeoutMs: number;
  readonly save: readonly { readonly path: string; readonly property: string }[];
}

/** The `action.webhook` node kind: schema, ports, sentence and plan form, for the registry. */
export const actionWebhook = defineNode({
  kind: 'action.webhook',
  group: 'action',
  label: 'Call a webhook',
  schema: ActionWebhookConfig,
  defaults: { url: 'https://', method: 'POST', headers: {}, timeoutMs: 10_000 },
  describe: (config) => {
    const host = /^https?:\/\/([^/?#]+)/i.exec(config.url)?.[1] ?? config.url;
    const saved = config.save.length;
    const save = saved > 0 ? ` and save ${saved} field${saved === 1 ? '' : 's'}` : '';
    return `Call ${config.method} ${host}${save}`;
  },
  compile: (config): ActionWebhookPlan => ({
    url: config.url,
    method: config.method,
    headers: config.headers,
    body: config.body ?? null,
    timeoutMs: config.timeoutMs,
    save: config.save.map((s) => ({ path: s.path, property: s.property })),
  }),
});
