import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/status';
import { useModal } from '../components/use-modal';
import { TYPE_LABELS, type PropertyType } from '../conditions/property-types';
import { aria, Field, FieldProblems } from '../forms/field';
import { api, ApiFailure, call } from '../lib/api';
import { catalogKeys } from '../lib/catalog';

const properties = api.api.properties;

/** What the dialog edits: a known property, or a new contact property (`name` empty). */
export interface PropertyTarget {
  scope: 'contact' | 'event';
  /** The event's name for an event property, '' for a contact property. */
  event: string;
  name: string;
  type: PropertyType;
  description: string;
}

/** Declares a property's type and description, or a contact property before its first value. */
export function PropertyDialog({
  target,
  onClose,
}: {
  target: PropertyTarget | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const creating = target?.name === '';
  const [name, setName] = useState('');
  const [type, setType] = useState<PropertyType>('string');
  const [description, setDescription] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const json = { type, description: description.trim() };
      // Names travel in the address: an event called "Order Completed" keeps its space.
      const key = encodeURIComponent(creating ? name.trim() : target!.name);
      return target!.scope === 'contact'
        ? call(properties.contact[':name'].$put({ param: { name: key }, json }))
        : call(
            properties.event[':event'][':name'].$put({
              param: { event: encodeURIComponent(target!.event), name: key },
              json,
            }),
          );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: catalogKeys.registry });
      onClose();
    },
  });
  const { reset } = save;

  const ref = useModal(target !== null, () => {
    setName(target!.name);
    setType(target!.type);
    setDescription(target!.description);
    reset();
  });

  // The name travels in the address: its problems are reported for `param.name`.
  const issues =
    save.error instanceof ApiFailure
      ? save.error.issues.map((i) => ({ ...i, field: i.field.replace(/^param\./, '') }))
      : [];
  const title = creating
    ? 'New contact property'
    : target?.scope === 'event'
      ? `${target.name} of ${target.event}`
      : `Contact property ${target?.name ?? ''}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="property-dialog-title">
      <form onSubmit={submit}>
        <h2 id="property-dialog-title">{title}</h2>
        <FieldProblems problems={issues}>
          {creating && (
            <Field
              label="Name"
              path="name"
              hint="As your data will send it: plan, first_name, address.city."
            >
              {(ids) => (
                <input
                  {...aria(ids)}
                  value={name}
                  autoFocus
                  required
                  placeholder="plan"
                  onChange={(e) => setName(e.target.value)}
                />
              )}
            </Field>
          )}
          <Field
            label="Type"
            path="type"
            hint="Decides the comparisons the segment builder offers, and how imports and the profile read its values. Values already stored are not converted."
          >
            {(ids) => (
              <select
                {...aria(ids)}
                value={type}
                onChange={(e) => setType(e.target.value as PropertyType)}
              >
                {Object.entries(TYPE_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Description" path="description" hint="For your team: what it holds.">
            {(ids) => (
              <textarea
                {...aria(ids)}
                rows={2}
                maxLength={500}
                value={description}
                placeholder="The plan the customer pays for: free, pro or team"
                onChange={(e) => setDescription(e.target.value)}
              />
            )}
          </Field>
        </FieldProblems>
        {save.isError && issues.length === 0 && <ErrorNotice error={save.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            {creating ? 'Add property' : 'Save'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
