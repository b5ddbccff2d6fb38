import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { ErrorNotice } from '../components/status';
import { journeyKeys, journeysApi } from './journey-api';
import {
  documentFromTemplate,
  JOURNEY_TEMPLATES,
  type JourneyTemplate,
  type TemplateValues,
} from './templates/journey-templates';
import { TemplateSlots } from './templates/template-slots';

/** Start a journey from scratch or from a ready-made one, then open it on the canvas. */
export function NewJourneyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [template, setTemplate] = useState<JourneyTemplate | null>(null);
  const [choosing, setChoosing] = useState(true);
  const [name, setName] = useState('');
  const [values, setValues] = useState<TemplateValues>({ slots: {}, interests: [] });
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setChoosing(true);
      setTemplate(null);
      setName('');
      setError(null);
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  function choose(next: JourneyTemplate | null) {
    setTemplate(next);
    setName(next?.title.replace(/ after .*| with .*| by .*/, '') ?? '');
    setValues({
      slots: {},
      interests: next?.interests
        ? [
            { label: '', value: '', template: '' },
            { label: '', value: '', template: '' },
          ]
        : [],
    });
    setChoosing(false);
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setCreating(true);
    setError(null);
    try {
      const document = template
        ? documentFromTemplate(template, values, name)
        : { name: name.trim() || 'Untitled journey', settings: {}, nodes: [], edges: [] };
      const { id } = await journeysApi.create(document);
      await queryClient.invalidateQueries({ queryKey: journeyKeys.all });
      onClose();
      navigate(`/journeys/${id}`);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setCreating(false);
    }
  }

  const interestsMissing =
    template?.interests === true &&
    !values.interests.some((i) => i.label.trim() !== '' && i.value.trim() !== '');

  return (
    <dialog
      ref={ref}
      className="dialog new-journey"
      onClose={onClose}
      aria-labelledby="new-journey-title"
    >
      <h2 id="new-journey-title">New journey</h2>
      {choosing ? (
        <ul className="template-cards">
          <li>
            <button type="button" className="template-card" onClick={() => choose(null)}>
              <strong>Start from scratch</strong>
              <span>An empty canvas: drag a trigger onto it.</span>
            </button>
          </li>
          {JOURNEY_TEMPLATES.map((t) => (
            <li key={t.id}>
              <button type="button" className="template-card" onClick={() => choose(t)}>
                <strong>{t.title}</strong>
                <span>{t.description}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <form onSubmit={(e) => void create(e)}>
          {template && <p className="muted">{template.description}</p>}
          <div className="field">
            <label htmlFor="new-journey-name">Name</label>
            <input
              id="new-journey-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="Untitled journey"
              autoFocus
            />
          </div>
          {template && <TemplateSlots template={template} values={values} onChange={setValues} />}
          {error && <ErrorNotice error={error} />}
          <div className="dialog-actions">
            <button type="button" onClick={() => setChoosing(true)}>
              Back
            </button>
            <button type="submit" className="primary" disabled={creating || interestsMissing}>
              {creating ? 'Creating…' : 'Create and open'}
            </button>
          </div>
        </form>
      )}
      {choosing && (
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      )}
    </dialog>
  );
}
