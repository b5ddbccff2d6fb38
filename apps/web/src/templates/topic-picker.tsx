import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiFailure, call } from '../lib/api';
import { templateKeys, templatesApi } from './template-api';

const NEW = '\u0000new';

/** `Offers & promotions` → `offers-promotions`: the key contacts never see. */
export function topicKeyOf(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/** The subscription topic of a template; a new topic can be created on the spot. */
export function TopicPicker({
  ids,
  value,
  onChange,
  required,
}: {
  ids: { id: string; 'aria-describedby': string | undefined; 'aria-invalid': true | undefined };
  value: string | null;
  onChange: (key: string | null) => void;
  required: boolean;
}) {
  const queryClient = useQueryClient();
  const topics = useQuery({ queryKey: templateKeys.topics, queryFn: templatesApi.topics });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function create() {
    setProblem(null);
    try {
      const topic = await call(api.api.topics.$post({ json: { key: topicKeyOf(name), name } }));
      await queryClient.invalidateQueries({ queryKey: templateKeys.topics });
      onChange(topic.key);
      setCreating(false);
      setName('');
    } catch (error) {
      setProblem(
        error instanceof ApiFailure ? (error.issues[0]?.message ?? error.message) : String(error),
      );
    }
  }

  if (creating) {
    return (
      <div className="create-inline">
        <input
          aria-label="Name of the new topic"
          placeholder="Offers"
          value={name}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void create();
            }
            if (e.key === 'Escape') setCreating(false);
          }}
        />
        <button
          type="button"
          className="primary"
          disabled={topicKeyOf(name) === ''}
          onClick={() => void create()}
        >
          Create
        </button>
        <button type="button" onClick={() => setCreating(false)}>
          Cancel
        </button>
        {problem && <p className="field-problems">{problem}</p>}
      </div>
    );
  }
  if (topics.isError)
    return <p className="field-problems">Could not load topics: {topics.error.message}</p>;
  return (
    <select
      {...ids}
      value={value ?? ''}
      onChange={(e) =>
        e.target.value === NEW ? setCreating(true) : onChange(e.target.value || null)
      }
    >
      <option value="">
        {topics.isPending ? 'Loading topics…' : required ? 'Choose a topic…' : 'None'}
      </option>
      {topics.data?.topics.map((t) => (
        <option key={t.key} value={t.key}>
          {t.name}
        </option>
      ))}
      <option value={NEW}>+ New topic…</option>
    </select>
  );
}
