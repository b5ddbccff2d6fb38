// Text PostgreSQL cannot store (a null character, half a character) in a template or a journey
// draft: refused with the field named when saved, listed by the editors' checks, never a 500.

import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/db';
import { NEWSLETTER, saveTopic, useEmailApp, type EmailApp } from '../email/support';

const NUL = '\u0000';
const HALF = '\ud800';

const env = useEmailApp();
let db: TestDatabase;
let call: EmailApp['call'];

beforeAll(async () => {
  ({ db, call } = env);
  await saveTopic(db.sql, db.workspaceId, 'newsletter', true);
});

describe('templates and journey drafts', () => {
  it('refuses a template whose text cannot be stored, naming the field; the draft check says so too', async () => {
    const bad = { ...NEWSLETTER, subject: `Hello${NUL}` };
    const created = await call('POST', '/api/templates', bad);
    expect(created.status).toBe(400);
    expect(created.body.error.issues).toEqual([
      { field: 'subject', message: expect.stringContaining('null character') },
    ]);
    const saved = await call('POST', '/api/templates', NEWSLETTER);
    expect(saved.status).toBe(201);
    const updated = await call('PUT', `/api/templates/${saved.body.id}`, {
      ...NEWSLETTER,
      preheader: `Half ${HALF}`,
    });
    expect(updated.status).toBe(400);
    expect(updated.body.error.issues).toEqual([
      { field: 'preheader', message: expect.stringContaining('half of a character') },
    ]);
    // The editor's check while typing lists it like any other problem.
    const check = await call('POST', '/api/templates/check', bad);
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    expect(check.body.issues).toContainEqual({
      field: 'subject',
      message: expect.stringContaining('null character'),
    });
  });

  it('refuses a journey draft whose text cannot be stored, naming the node field', async () => {
    const draft = (subject: string) => ({
      name: 'Welcome',
      nodes: [
        { id: 'start', type: 'trigger', config: { kind: 'event', event: 'signed_up' } },
        { id: 'note', type: 'wait', config: { duration: 'P1D', label: subject } },
      ],
      edges: [],
    });
    const created = await call('POST', '/api/journeys', draft(`x${NUL}`));
    expect(created.status).toBe(400);
    expect(created.body.error.issues).toEqual([
      { field: 'nodes.1.config.label', message: expect.stringContaining('null character') },
    ]);
    const ok = await call('POST', '/api/journeys', draft('fine'));
    expect(ok.status).toBe(201);
    const updated = await call('PUT', `/api/journeys/${ok.body.id}`, draft(`x${HALF}`));
    expect(updated.status).toBe(400);
    expect(updated.body.error.issues).toEqual([
      { field: 'nodes.1.config.label', message: expect.stringContaining('half of a character') },
    ]);
    // Validating the document the canvas shows: the text is one of its problems, not a 500.
    const validated = await call('POST', `/api/journeys/${ok.body.id}/validate`, draft(`x${NUL}`));
    expect(validated.status).toBe(200);
    expect(validated.body.errors).toContainEqual(
      expect.objectContaining({
        nodeId: 'note',
        field: 'config.label',
        message: expect.stringContaining('null character'),
      }),
    );
  });
});
