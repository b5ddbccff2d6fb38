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

const KEY_MAX = 63;

/**
 * The key a new topic named `name` gets: made from the name, with `-2`, `-3`… when a topic has
 * it already, and `topic` when the name has no letter or digit of a-z 0-9 (Новости, 優惠). The
 * marketer never types a key, so it must never be one the API refuses or one in use.
 */
export function freeTopicKey(name: string, taken: readonly string[]): string {
  const base = topicKeyOf(name) || 'topic';
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const key = `${base.slice(0, KEY_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!used.has(key)) return key;
  }
}

/** The topic already named `name` (case and surrounding spaces aside), if there is one. */
export function topicNamed<T extends { name: string }>(
  topics: readonly T[] | undefined,
  name: string,
): T | undefined {
  const wanted = name.trim().toLocaleLowerCase();
  return topics?.find((t) => t.name.trim().toLocaleLowerCase() === wanted);
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
      const taken = (topics.data?.topics ?? []).map((t) => t.key);
      const topic = await call(
        api.api.topics.$post({ json: { key: freeTopicKey(name, taken), name: name.trim() } }),
      );
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
    const existing = topicNamed(topics.data?.topics, name);
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
              if (name.trim() !== '' && !existing) void create();
            }
            if (e.key === 'Escape') setCreating(false);
          }}
        />
        <button
          type="button"
          className="primary"
          disabled={name.trim() === '' || existing !== undefined}
          onClick={() => void create()}
        >
          Create
        </button>
        <button type="button" onClick={() => setCreating(false)}>
          Cancel
        </button>
        {existing && (
          <p className="field-problems">
            There is already a topic named “{existing.name}”: choose it in the list.
          </p>
        )}
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
