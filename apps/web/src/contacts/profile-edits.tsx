import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { aria, Field, FieldProblems, ProblemList, type FieldProblem } from '../forms/field';
import { KnownTagOptions, PropertyPicker } from '../forms/pickers';
import { ErrorNotice } from '../components/status';
import { ApiFailure } from '../lib/api';
import { catalogKeys, useKnownProperties } from '../lib/catalog';
import { contactKeys, contactsApi, type ContactPatch, type ContactProfile } from './contact-api';
import { TYPE_LABELS } from '../conditions/property-types';
import { ChipInput, type Chip } from '../forms/chip-input';
import { useWorkspaceTime } from '../lib/workspace';
import {
  dateInputOf,
  dateShapeOf,
  editTypeOf,
  inputTextOf,
  listItemsOf,
  parseInputText,
  propertiesByName,
  type PropertyType,
} from './property-value';
import './profile-edits.css';

/** PATCH the contact, then show the profile it answers with. */
function useContactUpdate(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ContactPatch) => contactsApi.update(contactId, patch),
    onSuccess: async (profile, patch) => {
      queryClient.setQueryData(contactKeys.one(contactId), profile);
      await queryClient.invalidateQueries({ queryKey: contactKeys.timeline(contactId) });
      if (patch.tags?.add?.length)
        await queryClient.invalidateQueries({ queryKey: catalogKeys.tags });
    },
  });
}

const issuesOf = (error: Error | null): FieldProblem[] =>
  error instanceof ApiFailure ? error.issues : [];

/** The contact's tags: remove one with its ×, add one by typing it. */
export function TagsEditor({ contact }: { contact: ContactProfile }) {
  const update = useContactUpdate(contact.id);
  const [tag, setTag] = useState('');
  const tagList = useId();
  const issues = issuesOf(update.error);

  function add(event: FormEvent) {
    event.preventDefault();
    update.mutate({ tags: { add: [tag], remove: [] } }, { onSuccess: () => setTag('') });
  }

  return (
    <div className="tags-editor">
      <ul className="tag-chips" aria-label="Tags">
        {contact.tags.length === 0 && <li className="muted">None</li>}
        {contact.tags.map((t) => (
          <li key={t} className="chip">
            <Link
              href={`/contacts?tag=${encodeURIComponent(t)}`}
              className="chip-link"
              title={`Everyone tagged “${t}”`}
            >
              {t}
            </Link>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove tag ${t}`}
              disabled={update.isPending}
              onClick={() => update.mutate({ tags: { add: [], remove: [t] } })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-fields" onSubmit={add}>
        <KnownTagOptions id={tagList} except={contact.tags} />
        <input
          aria-label="New tag"
          list={tagList}
          autoComplete="off"
          placeholder="Add a tag"
          value={tag}
          aria-invalid={issues.length > 0 || undefined}
          onChange={(e) => setTag(e.target.value)}
        />
        <button type="submit" disabled={update.isPending || tag.trim() === ''}>
          Add tag
        </button>
      </form>
      <ProblemList problems={issues} />
      {update.isError && issues.length === 0 && <ErrorNotice error={update.error} />}
    </div>
  );
}

/** Cancel and save, under an editor of the profile. */
function EditorActions(props: { onCancel: () => void; saving: boolean; label: string }) {
  return (
    <div className="editor-actions">
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      <button type="submit" className="primary" disabled={props.saving}>
        {props.saving ? 'Saving…' : props.label}
      </button>
    </div>
  );
}

/**
 * One input by the property's type: a date picker for dates (a date and time picker for a date
 * stored with its time), yes/no for booleans, …
 */
function TypedInput({
  ids,
  type,
  dateInput = 'date',
  value,
  onChange,
}: {
  ids: ReturnType<typeof aria>;
  type: PropertyType;
  dateInput?: 'date' | 'datetime-local' | undefined;
  value: string;
  onChange: (text: string) => void;
}) {
  switch (type) {
    case 'boolean':
      return (
        <select {...ids} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">Not set</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      );
    case 'number':
    case 'date':
      return (
        <input
          {...ids}
          type={type === 'date' ? dateInput : type}
          // A date and time to the minute, or to the second when it was stored so.
          step={
            type === 'number'
              ? 'any'
              : dateInput === 'datetime-local' && value.length > 16
                ? 1
                : undefined
          }
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'array': {
      // A list of plain values is edited as chips; one holding groups of values stays text.
      const items = listItemsOf(value);
      if (items === null) break;
      return (
        <ChipInput
          id={ids.id}
          describedBy={ids['aria-describedby']}
          values={items}
          read={(typed) => listItem(typed, items)}
          onChange={(next) => onChange(JSON.stringify(next))}
        />
      );
    }
    case 'string':
    case 'object':
      break;
    default:
      return type satisfies never;
  }
  return <input {...ids} value={value} onChange={(e) => onChange(e.target.value)} />;
}

/** A typed list item: a number in a list of numbers, text otherwise. */
function listItem(typed: string, items: readonly Chip[]): Chip | null {
  const text = typed.trim().replace(/,$/, '').trim();
  const numbers = items.length > 0 && items.every((i) => typeof i === 'number');
  return numbers && text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** What to say under a property's input about how its value is written (its type, if not said). */
function hintFor(row: Row, typeInLabel = false): string | undefined {
  const { type, text } = row;
  switch (type) {
    case 'string':
      return undefined;
    case 'array':
      return listItemsOf(text) === null
        ? 'List: its items hold groups of values, so it is written in brackets.'
        : 'List: press Enter after each value.';
    case 'object':
      return 'Group of values, written as {"name": "value", …}.';
    case 'date':
      if (row.dateInput === 'datetime-local') {
        return row.zone
          ? `Date and time in ${row.zone}, the workspace's time zone.`
          : "Date and time in the contact's time zone.";
      }
      return typeInLabel ? undefined : TYPE_LABELS[type];
    case 'number':
    case 'boolean':
      return typeInLabel ? undefined : TYPE_LABELS[type];
    default:
      return type satisfies never;
  }
}

export interface Row {
  name: string;
  type: PropertyType;
  text: string;
  original: string;
  /** Added in this edit: its name is chosen too. */
  isNew: boolean;
  /** A date stored with its time is edited as a date and time. */
  dateInput?: 'date' | 'datetime-local' | undefined;
  /** A date stored as an instant: the zone whose clock its input shows, and reads back on. */
  zone?: string | undefined;
}

/** The row editing a stored property value, its date and time on the clock of `zone`. */
export function rowOf(name: string, value: unknown, type: PropertyType, zone: string): Row {
  const text = inputTextOf(value, type, zone);
  const row: Row = { name, type, text, original: text, isNew: false };
  if (type !== 'date') return row;
  const instant = typeof value === 'string' && dateShapeOf(value)?.kind === 'instant';
  return { ...row, dateInput: dateInputOf(value), ...(instant ? { zone } : {}) };
}

/**
 * What saving the rows sends: only the values changed (one left as it was is not written again,
 * so a date stored with its time keeps it), or the problems to show.
 */
export function changedProperties(rows: Row[]): {
  properties: Record<string, unknown>;
  problems: FieldProblem[];
} {
  const problems: FieldProblem[] = [];
  const properties: Record<string, unknown> = {};
  rows.forEach((row, i) => {
    if (row.text === row.original) return;
    if (row.name.trim() === '') {
      problems.push({ field: `new.${i}`, message: 'Choose a property' });
      return;
    }
    const parsed = parseInputText(row.text, row.type, row.zone);
    if (parsed.ok) properties[row.name.trim()] = parsed.value;
    else problems.push({ field: `properties.${row.name.trim()}`, message: parsed.message });
  });
  return { properties, problems };
}

/** A property's value with the input its type calls for, and its problems under it. */
function ValueField({
  label,
  hint,
  row,
  onChange,
}: {
  label: string;
  hint?: string | undefined;
  row: Row;
  onChange: (text: string) => void;
}) {
  return (
    <Field label={label} path={`properties.${row.name.trim()}`} hint={hint}>
      {(ids) => (
        <TypedInput
          ids={aria(ids)}
          type={row.type}
          dateInput={row.dateInput}
          value={row.text}
          onChange={onChange}
        />
      )}
    </Field>
  );
}

/** Edits property values with inputs by their registered type; sends only what changed. */
export function PropertiesEditor({
  contact,
  onDone,
}: {
  contact: ContactProfile;
  onDone: () => void;
}) {
  const registry = useKnownProperties();
  const { zone } = useWorkspaceTime();
  const typeOf = (name: string, value: unknown) =>
    editTypeOf(registry.items.find((p) => p.name === name)?.type, value);
  const [rows, setRows] = useState<Row[]>(() =>
    propertiesByName(contact.properties).map(([name, value]) =>
      rowOf(name, value, typeOf(name, value), zone),
    ),
  );
  const [local, setLocal] = useState<FieldProblem[]>([]);
  const update = useContactUpdate(contact.id);
  const setRow = (i: number, row: Row) => setRows(rows.map((r, j) => (j === i ? row : r)));

  function save(event: FormEvent) {
    event.preventDefault();
    const { properties, problems } = changedProperties(rows);
    setLocal(problems);
    if (problems.length > 0) return;
    if (Object.keys(properties).length === 0) return onDone();
    update.mutate({ properties }, { onSuccess: onDone });
  }

  const issues = [...local, ...issuesOf(update.error)];
  return (
    <form onSubmit={save} aria-label="Edit properties">
      <FieldProblems problems={issues}>
        {rows.map((row, i) =>
          row.isNew ? (
            <div key={i} className="new-property">
              <Field label="New property" path={`new.${i}`}>
                {(ids) => (
                  <PropertyPicker
                    id={ids.id}
                    describedBy={ids.describedBy}
                    invalid={ids.invalid}
                    value={row.name}
                    onChange={(name) => setRow(i, { ...row, name, type: typeOf(name, undefined) })}
                  />
                )}
              </Field>
              <ValueField
                label={`Value (${TYPE_LABELS[row.type]})`}
                hint={hintFor(row, true)}
                row={row}
                onChange={(text) => setRow(i, { ...row, text })}
              />
            </div>
          ) : (
            <ValueField
              key={row.name}
              label={row.name}
              hint={hintFor(row)}
              row={row}
              onChange={(text) => setRow(i, { ...row, text })}
            />
          ),
        )}
      </FieldProblems>
      {update.isError && issuesOf(update.error).length === 0 && (
        <ErrorNotice error={update.error} />
      )}
      <button
        type="button"
        className="link-button add-property"
        onClick={() =>
          setRows([...rows, { name: '', type: 'string', text: '', original: '', isNew: true }])
        }
      >
        + Add a property
      </button>
      <EditorActions onCancel={onDone} saving={update.isPending} label="Save properties" />
    </form>
  );
}

/**
 * The contact's lifecycle stage and time zone. Empty clears them: a contact without a time zone
 * has its rules and quiet hours follow the workspace's.
 */
export function StageAndZoneEditor({
  contact,
  onDone,
}: {
  contact: ContactProfile;
  onDone: () => void;
}) {
  const update = useContactUpdate(contact.id);
  const [stage, setStage] = useState(contact.lifecycleStage ?? '');
  const [zone, setZone] = useState(contact.timezone ?? '');
  const zones = useMemo(() => {
    const known = Intl.supportedValuesOf('timeZone');
    return contact.timezone && !known.includes(contact.timezone)
      ? [contact.timezone, ...known]
      : known;
  }, [contact.timezone]);

  function save(event: FormEvent) {
    event.preventDefault();
    const patch: ContactPatch = {};
    const newStage = stage.trim() || null;
    if (newStage !== contact.lifecycleStage) patch.lifecycleStage = newStage;
    const newZone = zone || null;
    if (newZone !== contact.timezone) patch.timezone = newZone;
    if (Object.keys(patch).length === 0) return onDone();
    update.mutate(patch, { onSuccess: onDone });
  }

  const issues = issuesOf(update.error);
  const placed = ['lifecycleStage', 'timezone'];
  return (
    <form onSubmit={save} aria-label="Edit stage and time zone" className="stage-zone-editor">
      <FieldProblems problems={issues}>
        <Field
          label="Lifecycle stage"
          path="lifecycleStage"
          hint="In your words: lead, trial, customer… Empty clears it."
        >
          {(ids) => (
            <input {...aria(ids)} value={stage} onChange={(e) => setStage(e.target.value)} />
          )}
        </Field>
        <Field label="Time zone" path="timezone" hint="For date rules and quiet hours.">
          {(ids) => (
            <select {...aria(ids)} value={zone} onChange={(e) => setZone(e.target.value)}>
              <option value="">The workspace's</option>
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          )}
        </Field>
      </FieldProblems>
      {update.isError &&
        (issues.length === 0 || issues.some((i) => !placed.includes(i.field ?? ''))) && (
          <ErrorNotice error={update.error} shownBeside={placed} />
        )}
      <EditorActions onCancel={onDone} saving={update.isPending} label="Save" />
    </form>
  );
}
