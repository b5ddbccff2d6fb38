import {
  leadNurturingFlow,
  postPurchaseFlow,
  reactivationFlow,
  welcomeByInterestFlow,
  type FlowDocument,
} from '@relance/flow';

// The ready-made journeys of packages/flow, as the "New journey" dialog offers them: what each
// one needs from the workspace (segments, templates, a few words), and how to build it.

export type SlotKind = 'segment' | 'template' | 'email' | 'number';

export interface Slot {
  key: string;
  kind: SlotKind;
  label: string;
  hint?: string;
  /** Picks a likely default from the workspace's segment or template names. */
  guess?: RegExp;
  /** A static list the journey moves contacts into (one can be created on the spot). */
  list?: boolean;
}

export interface Interest {
  label: string;
  value: string;
  template: string;
}

export interface TemplateValues {
  slots: Record<string, string>;
  interests: Interest[];
}

export interface JourneyTemplate {
  id: string;
  title: string;
  description: string;
  slots: Slot[];
  /** Welcome by interest asks for the interests themselves. */
  interests?: boolean;
  build: (values: TemplateValues) => FlowDocument;
}

// Slots left empty become placeholders the canvas reports as problems ("Choose a segment"), so a
// marketer can create the journey first and pick the missing pieces on the canvas.
// Each placeholder is distinct, or "add to X, remove from X" would be refused while building.
const blank = (key: string) => `__relance_blank_${key}__`;
const isBlank = (value: unknown) =>
  typeof value === 'string' && /^__relance_blank_\w+__$/.test(value);
const slot = (values: TemplateValues, key: string) => values.slots[key]?.trim() || blank(key);

/** A segment or template the workspace has, as the slots' pickers list them. */
export interface SlotChoice {
  id: string;
  name: string;
  /** A segment's kind: a list slot takes only a static segment. */
  kind?: string;
}

/**
 * Likely choices for the slots not filled yet, from the workspace's segment and template names.
 * A list slot (a step moves contacts into it) guesses only among lists: a rule segment named
 * "Reactivation" cannot be moved into, and its picker would not even offer it.
 */
export function guessSlots(
  slots: readonly Slot[],
  filled: Record<string, string>,
  choices: { segments: readonly SlotChoice[]; templates: readonly SlotChoice[] },
): Record<string, string> {
  const guessed: Record<string, string> = {};
  for (const slot of slots) {
    if (slot.key in filled || !slot.guess) continue;
    const list =
      slot.kind === 'segment'
        ? choices.segments.filter((s) => !slot.list || s.kind === 'static')
        : slot.kind === 'template'
          ? choices.templates
          : [];
    const match = list.find((item) => slot.guess!.test(item.name));
    if (match) guessed[slot.key] = match.id;
  }
  return guessed;
}

/** Removes placeholders: blank strings in place, blank list items dropped. */
export function clearBlanks(value: unknown): unknown {
  if (isBlank(value)) return '';
  if (Array.isArray(value)) return value.filter((v) => !isBlank(v)).map(clearBlanks);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clearBlanks(v)]));
  }
  return value;
}

export const JOURNEY_TEMPLATES: JourneyTemplate[] = [
  {
    id: 'reactivation',
    title: 'Reactivation after 15 days without a click',
    description:
      'Contacts who stopped clicking move to Reactivation and get a win-back email; a click brings them back to Active, silence after 7 days moves them to Dormant.',
    slots: [
      {
        key: 'inactive',
        kind: 'segment',
        label: 'Starts when a contact enters',
        hint: 'A segment such as “No click for 15 days”.',
        guess: /inactive|no click/i,
      },
      { key: 'active', kind: 'segment', list: true, label: 'Active segment', guess: /^active/i },
      {
        key: 'reactivation',
        kind: 'segment',
        list: true,
        label: 'Reactivation segment',
        guess: /reactivation/i,
      },
      { key: 'dormant', kind: 'segment', list: true, label: 'Dormant segment', guess: /dormant/i },
      { key: 'winBack', kind: 'template', label: 'Win-back email', guess: /win.?back/i },
    ],
    build: (v) =>
      reactivationFlow({
        segments: {
          inactive: slot(v, 'inactive'),
          active: slot(v, 'active'),
          reactivation: slot(v, 'reactivation'),
          dormant: slot(v, 'dormant'),
        },
        templates: { winBack: slot(v, 'winBack') },
      }),
  },
  {
    id: 'post-purchase',
    title: 'Post-purchase sequence',
    description:
      'After each order: tips on day 3, a cross-sell a week later, and a review request after a month.',
    slots: [
      {
        key: 'tips',
        kind: 'template',
        label: 'Day 3: get the most out of it',
        guess: /tips|most out/i,
      },
      { key: 'crossSell', kind: 'template', label: 'Day 7: cross-sell', guess: /cross/i },
      { key: 'review', kind: 'template', label: 'Day 30: review request', guess: /review/i },
    ],
    build: (v) =>
      postPurchaseFlow({
        templates: {
          tips: slot(v, 'tips'),
          crossSell: slot(v, 'crossSell'),
          review: slot(v, 'review'),
        },
      }),
  },
  {
    id: 'welcome',
    title: 'Welcome series by interest',
    description:
      'On signup, a welcome email for each interest picked on the form; opens raise the lead score and engaged contacts move to nurture.',
    slots: [
      {
        key: 'fallback',
        kind: 'template',
        label: 'Welcome email for everyone else',
        guess: /welcome/i,
      },
      {
        key: 'nurture',
        kind: 'segment',
        list: true,
        label: 'Engaged contacts move to',
        guess: /nurtur/i,
      },
    ],
    interests: true,
    build: (v) =>
      welcomeByInterestFlow({
        interests: v.interests.map((interest, i) => ({
          id: `interest_${i + 1}`,
          label: interest.label.trim(),
          value: interest.value.trim(),
          templates: [interest.template.trim() || blank(`interest_${i + 1}`)],
        })),
        fallbackTemplates: [slot(v, 'fallback')],
        segments: { nurture: slot(v, 'nurture') },
      }),
  },
  {
    id: 'lead-nurturing',
    title: 'Lead nurturing with scoring',
    description:
      'Leads get three emails; clicks and pricing-page visits raise their score, and sales hears about every lead that reaches the threshold.',
    slots: [
      {
        key: 'leads',
        kind: 'segment',
        label: 'Starts when a contact enters',
        guess: /lead|prospect/i,
      },
      { key: 'email1', kind: 'template', label: 'First email' },
      { key: 'email2', kind: 'template', label: 'Second email' },
      { key: 'email3', kind: 'template', label: 'Third email' },
      { key: 'sales', kind: 'email', label: 'Tell this teammate about sales-ready leads' },
      { key: 'threshold', kind: 'number', label: 'Sales-ready at a score of', hint: 'Usually 50.' },
    ],
    build: (v) =>
      leadNurturingFlow({
        segments: { leads: slot(v, 'leads') },
        templates: [slot(v, 'email1'), slot(v, 'email2'), slot(v, 'email3')],
        salesEmail: v.slots.sales?.trim() || 'sales@example.invalid',
        threshold: Number(v.slots.threshold) > 0 ? Number(v.slots.threshold) : 50,
      }),
  },
];

/** The document to create from a template: built with the values given, placeholders cleared. */
export function documentFromTemplate(
  template: JourneyTemplate,
  values: TemplateValues,
  name: string,
): { name: string; settings: Record<string, unknown>; nodes: unknown[]; edges: unknown[] } {
  const document = clearBlanks(template.build(values)) as {
    name: string;
    settings: Record<string, unknown>;
    nodes: { kind: string; config: Record<string, unknown> }[];
    edges: unknown[];
  };
  if (template.id === 'lead-nurturing' && !values.slots.sales?.trim()) {
    // No teammate given: leave the address empty for the canvas to ask for, not a made-up one.
    for (const node of document.nodes) if (node.kind === 'action.notify') node.config.to = '';
  }
  return { ...document, name: name.trim() || document.name };
}
