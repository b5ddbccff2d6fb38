import { z } from 'zod';
import { normaliseEmail, type IngestMessage } from '@relance/db';
import type { Issue } from '../errors';
import { storableText } from '../storable-text';
import { toIssues } from '../validation';

// Segment's HTTP tracking API messages (identify, track, page, screen; batch of those).
// Unknown fields (integrations, context.library, …) are accepted and ignored, as Segment does.

export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_MESSAGES = 500;

const Id = z
  .union([z.string(), z.number()], { error: 'Send a string' })
  .transform(String)
  .pipe(
    z
      .string()
      .trim()
      .min(1, 'Cannot be empty')
      .max(255, 'At most 255 characters')
      .superRefine(storableText),
  );

const Timestamp = z.iso.datetime({
  offset: true,
  error: 'Use an ISO 8601 date-time with a time zone, such as 2025-06-15T09:30:00Z',
});

// Every string a message stores is checked for text PostgreSQL refuses, so one bad message is
// rejected on its own instead of failing the statement its whole batch shares.
const Payload = z
  .record(z.string(), z.unknown(), { error: 'Send an object' })
  .superRefine(storableText);
const Text = z.string().superRefine(storableText);

const Context = z.looseObject({
  timezone: z
    .string({ error: 'Send an IANA time zone name' })
    .trim()
    .min(1)
    .max(64)
    .superRefine(storableText)
    .optional(),
  page: z.looseObject({ url: Text.optional(), path: Text.optional() }).optional(),
});

const Common = {
  userId: Id.nullish(),
  anonymousId: Id.nullish(),
  messageId: z
    .string({ error: 'Send a string' })
    .trim()
    .min(1)
    .max(200, 'At most 200 characters')
    .superRefine(storableText)
    .optional(),
  timestamp: Timestamp.optional(),
  originalTimestamp: Timestamp.optional(),
  sentAt: Timestamp.optional(),
  context: Context.optional(),
};

const EventName = z
  .string({ error: 'Name the event' })
  .trim()
  .min(1, 'Name the event')
  .max(200, 'Event names are at most 200 characters')
  .refine((name) => !name.startsWith('$'), 'Event names starting with $ are reserved')
  .superRefine(storableText);

export const IdentifyMessage = z.looseObject({
  ...Common,
  type: z.literal('identify').optional(),
  traits: Payload.default({}),
});
export const TrackMessage = z.looseObject({
  ...Common,
  type: z.literal('track').optional(),
  event: EventName,
  properties: Payload.default({}),
});
export const PageMessage = z.looseObject({
  ...Common,
  type: z.literal('page').optional(),
  name: Text.max(200).nullish(),
  category: Text.max(200).nullish(),
  properties: Payload.default({}),
});
export const ScreenMessage = z.looseObject({
  ...Common,
  type: z.literal('screen').optional(),
  name: Text.max(200).nullish(),
  category: Text.max(200).nullish(),
  properties: Payload.default({}),
});

export type MessageType = 'identify' | 'track' | 'page' | 'screen';
const SCHEMAS = {
  identify: IdentifyMessage,
  track: TrackMessage,
  page: PageMessage,
  screen: ScreenMessage,
} as const;

export const BatchRequest = z.looseObject({
  batch: z
    .array(z.unknown(), { error: 'Send the messages as an array named batch' })
    .min(1, 'The batch is empty')
    .max(MAX_BATCH_MESSAGES, `A batch holds at most ${MAX_BATCH_MESSAGES} messages`),
  context: Context.optional(),
});

const EMAIL = z.email();
const STAGE_KEYS = ['lifecycleStage', 'lifecycle_stage'];

function occurredAt(
  m: {
    timestamp?: string | undefined;
    originalTimestamp?: string | undefined;
    sentAt?: string | undefined;
  },
  receivedAt: Date,
): Date {
  if (m.timestamp) return new Date(m.timestamp);
  // Segment's clock-skew correction: the device's clock was off by (sentAt − receivedAt).
  if (m.originalTimestamp && m.sentAt) {
    return new Date(
      receivedAt.getTime() - (Date.parse(m.sentAt) - Date.parse(m.originalTimestamp)),
    );
  }
  if (m.originalTimestamp) return new Date(m.originalTimestamp);
  return receivedAt;
}

const strip = (id: string | null | undefined) => id ?? undefined;

/**
 * Parses one message of a known type into what ingestion stores; issues name fields relative
 * to the message (prefix them with `batch.3.` in a batch).
 */
export function parseMessage(
  type: MessageType,
  input: unknown,
  receivedAt: Date,
  batchContext?: Record<string, unknown>,
): { message: IngestMessage } | { issues: Issue[] } {
  const parsed = SCHEMAS[type].safeParse(input);
  if (!parsed.success) return { issues: toIssues(parsed.error) };
  const m = parsed.data;
  const context = { ...batchContext, ...m.context };
  const identity = { userId: strip(m.userId), anonymousId: strip(m.anonymousId) };
  const common = { occurredAt: occurredAt(m, receivedAt), messageId: m.messageId };
  if (type === 'identify') {
    const traits = (m as z.infer<typeof IdentifyMessage>).traits;
    const issues: Issue[] = [];
    let email: string | undefined;
    if (traits.email !== undefined && traits.email !== null) {
      if (typeof traits.email !== 'string' || !EMAIL.safeParse(traits.email.trim()).success) {
        issues.push({ field: 'traits.email', message: 'Not an email address' });
      } else email = normaliseEmail(traits.email);
    }
    if (!identity.userId && !identity.anonymousId && !email) {
      issues.push({ field: 'userId', message: 'Send a userId, an anonymousId or traits.email' });
    }
    const zone = traits.timezone ?? context.timezone;
    if (zone !== undefined && typeof zone !== 'string') {
      issues.push({ field: 'traits.timezone', message: 'Send an IANA time zone name' });
    }
    const stageKey = STAGE_KEYS.find((k) => k in traits);
    const stage = stageKey ? traits[stageKey] : undefined;
    if (stage !== undefined && stage !== null && typeof stage !== 'string') {
      issues.push({ field: `traits.${stageKey}`, message: 'Send the lifecycle stage as text' });
    }
    if (issues.length > 0) return { issues };
    const rest = Object.fromEntries(
      Object.entries(traits).filter(
        ([k]) => k !== 'email' && k !== 'timezone' && !STAGE_KEYS.includes(k),
      ),
    );
    return {
      message: {
        type: 'identify',
        identity: { ...identity, email },
        traits: rest,
        rawTraits: traits,
        timezone: typeof zone === 'string' ? zone : undefined,
        lifecycleStage: stage as string | null | undefined,
        ...common,
      },
    };
  }
  if (!identity.userId && !identity.anonymousId) {
    return { issues: [{ field: 'userId', message: 'Send a userId or an anonymousId' }] };
  }
  if (type === 'track') {
    const t = m as z.infer<typeof TrackMessage>;
    return {
      message: { type: 'track', identity, event: t.event, properties: t.properties, ...common },
    };
  }
  const v = m as z.infer<typeof PageMessage>;
  const properties = {
    ...(v.name ? { name: v.name } : {}),
    ...(v.category ? { category: v.category } : {}),
    ...(type === 'page' && context.page?.url ? { url: context.page.url } : {}),
    ...v.properties,
  };
  return {
    message: {
      type: 'track',
      identity,
      event: type === 'page' ? 'page.viewed' : 'screen.viewed',
      properties,
      ...common,
    },
  };
}

/** The type of a batch item, or the issue that says why it has none we take. */
export function typeOf(item: unknown): MessageType | Issue {
  const type =
    typeof item === 'object' && item !== null ? (item as { type?: unknown }).type : undefined;
  if (type === 'identify' || type === 'track' || type === 'page' || type === 'screen') return type;
  if (type === 'group' || type === 'alias') {
    return {
      field: 'type',
      message: `${type} messages are not supported; send identify, track, page or screen`,
    };
  }
  return { field: 'type', message: 'Set type to identify, track, page or screen' };
}
