import { z } from 'zod';
import { normaliseEmail, type IngestMessage } from '@relance/db';
import type { Issue } from '../errors';
import { storableText } from '../storable-text';
import { toIssues } from '../validation';
import { MAX_NESTING, tooDeep } from './nesting';

// Segment's HTTP tracking API messages (identify, track, page, screen, alias; batch of those).
// Unknown fields (integrations, context.library, writeKey, …) are accepted and ignored, as
// Segment does. What Segment keeps, Relance keeps too: a null field is an absent one, and a
// field it cannot use (a blank email, a time without a zone) is reported as a warning on the
// message rather than refusing it, since every SDK drops a refused message for good.

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

const NOT_BEFORE_1970 = 'Before 1970: send when the event happened, such as 2025-06-15T09:30:00Z';
const ZONED = z.iso.datetime({ offset: true });
/** A date-time without a zone, as some serialisers write one: read as UTC, with a warning. */
const LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

const ISO = 'Use an ISO 8601 date-time, such as 2025-06-15T09:30:00Z';

/**
 * What to say of a time sent as a number (Unix seconds from PHP or Python, milliseconds from
 * Date.now()), or as such digits in a string: what it reads as, and how to send it.
 */
function epochHint(input: unknown): string | undefined {
  const digits =
    typeof input === 'number' ? input : typeof input === 'string' ? input.trim() : undefined;
  if (digits === undefined || digits === '' || !Number.isFinite(Number(digits))) return undefined;
  const n = Number(digits);
  // Below 1e11 seconds (year 5138) it is seconds; above, milliseconds (1e11 ms is March 1973).
  const unit = Math.abs(n) < 1e11 ? 'seconds' : 'milliseconds';
  const at = new Date(unit === 'seconds' ? n * 1000 : n);
  if (Number.isNaN(at.getTime())) return `A number: ${ISO}`;
  return `A number, which reads as ${unit} since 1970 (${at.toISOString()}): send the date-time itself, such as "${at.toISOString()}" (new Date(${unit === 'seconds' ? `${n} * 1000` : n}).toISOString() in JavaScript)`;
}

const Timestamp = z
  .string({ error: (issue) => epochHint(issue.input) ?? ISO })
  .refine((s) => ZONED.safeParse(s).success || (LOCAL.test(s) && !Number.isNaN(utc(s))), {
    error: (issue) => epochHint(issue.input) ?? ISO,
  })
  // Year 1 (Swift's Date.distantPast) or any time before 1970 is a placeholder, not when
  // something happened (and postgres.js reads years below 100 back as 19xx or 20xx).
  .refine((s) => !(instant(s).ms < 0), NOT_BEFORE_1970)
  .nullish();

function utc(local: string): number {
  return Date.parse(`${local.replace(' ', 'T')}Z`);
}

/** The instant a timestamp field names, and whether it was read as UTC for want of a zone. */
function instant(s: string): { ms: number; zoneless: boolean } {
  return LOCAL.test(s) ? { ms: utc(s), zoneless: true } : { ms: Date.parse(s), zoneless: false };
}

// Every string a message stores is checked for text PostgreSQL refuses, so one bad message is
// rejected on its own instead of failing the statement its whole batch shares.
const Payload = z
  .record(z.string(), z.unknown(), { error: 'Send an object' })
  .superRefine(storableText)
  .nullish()
  .transform((value) => value ?? {});
const Text = z.string().superRefine(storableText);

const Context = z.looseObject({
  timezone: z
    .string({ error: 'Send an IANA time zone name' })
    .trim()
    .min(1)
    .max(64)
    .superRefine(storableText)
    .nullish(),
  page: z.looseObject({ url: Text.nullish(), path: Text.nullish() }).nullish(),
  // The browser's language (analytics.js sends navigator.language): kept as the contact's
  // `locale` by an identify without one of its own; the hosted pages speak it. Unusable: ignored.
  locale: Text.max(64).nullish().catch(undefined),
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
    .nullish(),
  timestamp: Timestamp,
  originalTimestamp: Timestamp,
  sentAt: Timestamp,
  context: Context.nullish(),
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
  traits: Payload,
});
export const TrackMessage = z.looseObject({
  ...Common,
  type: z.literal('track').optional(),
  event: EventName,
  properties: Payload,
});
export const PageMessage = z.looseObject({
  ...Common,
  type: z.literal('page').optional(),
  name: Text.max(200).nullish(),
  category: Text.max(200).nullish(),
  properties: Payload,
});
export const ScreenMessage = z.looseObject({
  ...Common,
  type: z.literal('screen').optional(),
  name: Text.max(200).nullish(),
  category: Text.max(200).nullish(),
  properties: Payload,
});

export const AliasMessage = z.looseObject({
  ...Common,
  type: z.literal('alias').optional(),
  previousId: Id.nullish(),
});

export type MessageType = 'identify' | 'track' | 'page' | 'screen' | 'alias';
/** Calls Segment's libraries send that Relance answers but does not store yet. */
export type IgnoredType = 'group';
const SCHEMAS = {
  identify: IdentifyMessage,
  track: TrackMessage,
  page: PageMessage,
  screen: ScreenMessage,
  alias: AliasMessage,
} as const;

export const BatchRequest = z.looseObject({
  batch: z
    .array(z.unknown(), { error: 'Send the messages as an array named batch' })
    .min(1, 'The batch is empty')
    .max(MAX_BATCH_MESSAGES, `A batch holds at most ${MAX_BATCH_MESSAGES} messages`),
  context: Context.nullish(),
  // Python, Go, Swift and Kotlin libraries send the time of sending once, on the batch.
  sentAt: Timestamp,
});

/** What the batch envelope lends each of its messages. */
export interface Envelope {
  context?: Record<string, unknown> | null | undefined;
  sentAt?: string | null | undefined;
}

const EMAIL = z.email();
const STAGE_KEYS = ['lifecycleStage', 'lifecycle_stage'];

const ZONELESS = 'No time zone: read as UTC; add Z or an offset such as +02:00';

/**
 * Segment's clock-skew correction: the time the device gave (`originalTimestamp`, else
 * `timestamp`, as its libraries send) is moved by how far the device's clock was off when it
 * sent the message (`sentAt`, on the message or its batch, against the time of receipt). A
 * server import sends as it receives, so its historical times move by the network delay only.
 */
function occurredAt(
  m: {
    timestamp?: string | null | undefined;
    originalTimestamp?: string | null | undefined;
    sentAt?: string | null | undefined;
  },
  sentAt: string | null | undefined,
  receivedAt: Date,
  warnings: Issue[],
): Date {
  const field = m.originalTimestamp ? 'originalTimestamp' : m.timestamp ? 'timestamp' : null;
  if (!field) return receivedAt;
  const device = instant(m[field]!);
  if (device.zoneless) warnings.push({ field, message: ZONELESS });
  if (!sentAt) return new Date(device.ms);
  const sent = instant(sentAt);
  if (sent.zoneless && m.sentAt) warnings.push({ field: 'sentAt', message: ZONELESS });
  return new Date(receivedAt.getTime() - (sent.ms - device.ms));
}

const strip = (id: string | null | undefined) => id ?? undefined;

const MAX_DOTTED_WARNINGS = 5;

/**
 * Names holding a dot, in `payload` and the objects inside it: segments, templates and journeys
 * read `product.id` as `id` inside `product`, so a value stored under that very name is found by
 * none of them. Stored as sent (a shallow trait merge would lose siblings if it were nested
 * here), with a warning at the name, at most a few per message.
 */
function dottedNames(payload: Record<string, unknown>, field: string): Issue[] {
  const warnings: Issue[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: payload, path: field }];
  while (stack.length > 0 && warnings.length < MAX_DOTTED_WARNINGS) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (const [key, child] of entries) {
      const at = `${path}.${key}`;
      if (!Array.isArray(value) && key.includes('.') && warnings.length < MAX_DOTTED_WARNINGS) {
        const parts = key.split('.');
        const leaf = parts.pop()!;
        const underscored = key.replace(/\./g, '_');
        const nested = parts.reduceRight((inner, part) => `${part}: { ${inner} }`, `${leaf}: …`);
        warnings.push({
          field: at,
          message: `"${key}" has a dot: segments, templates and journeys read ${key} as ${leaf} inside ${parts.join('.')}, so they will not find this value. It was stored as sent; name it ${underscored}, or send ${nested}`,
        });
      }
      stack.push({ value: child, path: at });
    }
  }
  return warnings;
}

/** A parsed message, with what was left out of it and why (`warnings`, fields as for issues). */
export type Parsed = { message: IngestMessage; warnings: Issue[] } | { issues: Issue[] };

/**
 * Parses one message of a known type into what ingestion stores; issues and warnings name
 * fields relative to the message (prefix them with `batch.3.` in a batch).
 */
export function parseMessage(
  type: MessageType,
  input: unknown,
  receivedAt: Date,
  envelope: Envelope = {},
): Parsed {
  const deep = tooDeep(input);
  if (deep) {
    return {
      issues: [
        {
          field: deep.join('.'),
          message: `Nested more than ${MAX_NESTING} levels deep: send flatter data`,
        },
      ],
    };
  }
  const parsed = SCHEMAS[type].safeParse(input);
  if (!parsed.success) return { issues: toIssues(parsed.error) };
  const m = parsed.data;
  const context = { ...envelope.context, ...m.context };
  const identity = { userId: strip(m.userId), anonymousId: strip(m.anonymousId) };
  const warnings: Issue[] = [];
  const common = {
    occurredAt: occurredAt(m, m.sentAt ?? envelope.sentAt, receivedAt, warnings),
    messageId: m.messageId ?? undefined,
  };
  if (type === 'identify') {
    const traits = (m as z.infer<typeof IdentifyMessage>).traits;
    warnings.push(...dottedNames(traits, 'traits'));
    let email: string | undefined;
    if (traits.email !== undefined && traits.email !== null) {
      if (typeof traits.email !== 'string' || !EMAIL.safeParse(traits.email.trim()).success) {
        warnings.push({
          field: 'traits.email',
          message: 'Not an email address: not stored (the other traits were)',
        });
      } else email = normaliseEmail(traits.email);
    }
    // Segment's userId is the person's id in your database; an address there names the
    // contact but gives them no email, so no email step ever reaches them.
    if (!email && identity.userId && EMAIL.safeParse(identity.userId).success) {
      warnings.push({
        field: 'userId',
        message: `An email address: kept as the contact's id (external id), not as their email, so no email can be sent to them. Send it as traits.email too, such as { "userId": "${identity.userId}", "traits": { "email": "${identity.userId}" } }, or better, your own id for them as userId`,
      });
    }
    if (!identity.userId && !identity.anonymousId && !email) {
      // Refused as a whole: the email's warning would say the other traits were stored.
      const badEmail = warnings.some((w) => w.field === 'traits.email');
      return {
        issues: [
          ...(badEmail
            ? [
                {
                  field: 'traits.email',
                  message:
                    'Not an email address, and the message names no one else: nothing was stored',
                },
              ]
            : []),
          { field: 'userId', message: 'Send a userId, an anonymousId or traits.email' },
        ],
      };
    }
    let zone = traits.timezone ?? context.timezone;
    if (zone !== undefined && zone !== null && typeof zone !== 'string') {
      warnings.push({
        field: 'traits.timezone',
        message: 'Not an IANA time zone name such as Europe/Paris: not stored',
      });
      zone = undefined;
    }
    const stageKey = STAGE_KEYS.find((k) => k in traits);
    let stage = stageKey ? traits[stageKey] : undefined;
    if (stage !== undefined && stage !== null && typeof stage !== 'string') {
      warnings.push({
        field: `traits.${stageKey}`,
        message: 'Send the lifecycle stage as text: not stored',
      });
      stage = undefined;
    }
    const rest = Object.fromEntries(
      Object.entries(traits).filter(
        ([k]) => k !== 'email' && k !== 'timezone' && !STAGE_KEYS.includes(k),
      ),
    );
    const locale: unknown = context.locale;
    if (rest.locale === undefined && typeof locale === 'string' && locale.trim()) {
      rest.locale = locale.trim();
    }
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
      warnings,
    };
  }
  if (type === 'alias') {
    // An alias's anonymousId is not read: previousId says who the person was.
    const { previousId } = m as z.infer<typeof AliasMessage>;
    const issues: Issue[] = [];
    if (!previousId) {
      issues.push({
        field: 'previousId',
        message: 'Send the id the person was known by before: their anonymousId or former userId',
      });
    }
    if (!identity.userId)
      issues.push({ field: 'userId', message: 'Send the userId the person is known by now' });
    else if (previousId === identity.userId) {
      issues.push({
        field: 'previousId',
        message: 'The same as userId: send the id the person was known by before',
      });
    }
    if (issues.length > 0 || !previousId || !identity.userId) return { issues };
    return {
      message: {
        type: 'alias',
        identity: { userId: identity.userId },
        previousId,
        ...common,
      },
      warnings,
    };
  }
  if (!identity.userId && !identity.anonymousId) {
    return { issues: [{ field: 'userId', message: 'Send a userId or an anonymousId' }] };
  }
  if (type === 'track') {
    const t = m as z.infer<typeof TrackMessage>;
    warnings.push(...dottedNames(t.properties, 'properties'));
    return {
      message: { type: 'track', identity, event: t.event, properties: t.properties, ...common },
      warnings,
    };
  }
  const v = m as z.infer<typeof PageMessage>;
  warnings.push(...dottedNames(v.properties, 'properties'));
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
    warnings,
  };
}

/** The note a group call is answered with, so that its SDK stops retrying it. */
export const ignoredNote = (type: IgnoredType): Issue => ({
  field: 'type',
  message: `Ignored: ${type} calls are not supported yet`,
});

/** The type of a batch item, or the issue that says why it has none we take. */
export function typeOf(item: unknown): MessageType | IgnoredType | Issue {
  const type =
    typeof item === 'object' && item !== null ? (item as { type?: unknown }).type : undefined;
  if (
    type === 'identify' ||
    type === 'track' ||
    type === 'page' ||
    type === 'screen' ||
    type === 'group' ||
    type === 'alias'
  )
    return type;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return {
      field: 'type',
      message:
        'Send each message as an object with its type: identify, track, page, screen, group or alias',
    };
  }
  return { field: 'type', message: 'Set type to identify, track, page, screen, group or alias' };
}
