import { describe, expect, it } from 'vitest';
import { failEnrolment } from '@relance/db';
import { openFromMainMenu, screenshot } from '../support/browser';
import { useBrowserSession } from '../support/browser-session';

// Editing beyond first drafts: moving a step to another place in the flow by dragging it onto an
// edge, a condition whose inputs follow the property's type, and the template source editor
// marking the line the API could not render.

describe('canvas and editors', () => {
  const session = useBrowserSession({ worker: false });
  const page = () => session.page;
  const node = (id: string) => page().locator(`.react-flow__node[data-id="${id}"]`);
  const edge = (id: string) => page().locator(`.react-flow__edge[data-id="${id}"]`);

  async function storedEdges(journeyId: string): Promise<string[]> {
    const response = await fetch(`${session.app.url}/api/journeys/${journeyId}`, {
      headers: { authorization: `Bearer ${session.app.adminToken}` },
    });
    const { document } = (await response.json()) as {
      document: { edges: { from: string; port?: string; to: string }[] };
    };
    return document.edges.map((e) => `${e.from}:${e.port ?? 'out'}->${e.to}`).sort();
  }

  it('moves a step onto an edge by dragging it there, and undoes the move in one step', async () => {
    const { id } = (await session.api('/api/journeys', {
      name: 'Reorder me',
      settings: {},
      nodes: [
        { id: 'trigger', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
        { id: 'wait', kind: 'wait.delay', position: { x: 0, y: 160 }, config: { duration: '2d' } },
        { id: 'score', kind: 'action.score', position: { x: 0, y: 320 }, config: { delta: 5 } },
        { id: 'exit', kind: 'logic.exit', position: { x: 0, y: 480 }, config: {} },
      ],
      edges: [
        { from: 'trigger', port: 'out', to: 'wait' },
        { from: 'wait', port: 'out', to: 'score' },
        { from: 'score', port: 'out', to: 'exit' },
      ],
    })) as { id: string };
    const before = ['score:out->exit', 'trigger:out->wait', 'wait:out->score'];
    await page().goto(`${session.app.url}/journeys/${id}`);
    await node('exit').waitFor();

    // Pick the wait up by its card and carry it over the edge from the score change to Exit.
    const card = (await node('wait').boundingBox())!;
    const target = (await edge('score:out').locator('path').first().boundingBox())!;
    await page().mouse.move(card.x + card.width / 2, card.y + card.height / 2);
    await page().mouse.down();
    await page().mouse.move(target.x + target.width / 2, target.y + target.height / 2, {
      steps: 15,
    });
    await expect.poll(() => page().getByText('Insert here').isVisible()).toBe(true);
    expect(await edge('score:out').locator('.drop-target').count()).toBe(1);
    await screenshot(page(), 'canvas-move-step-over-edge');
    await page().mouse.up();

    // Trigger now leads to the score change, which leads to the wait, then Exit: saved so.
    const after = ['score:out->wait', 'trigger:out->score', 'wait:out->exit'];
    await expect.poll(() => storedEdges(id), { timeout: 10_000 }).toEqual(after);
    expect(await page().getByText('Insert here').count()).toBe(0);
    await screenshot(page(), 'canvas-step-moved');

    // One undo puts the step back where it was, connections and all.
    await page().keyboard.press('Control+z');
    await expect.poll(() => storedEdges(id), { timeout: 10_000 }).toEqual(before);
  });

  it('adds tags as chips in the inspector and removes one', async () => {
    const id = await openTagJourney('Tag them');
    async function storedTags(): Promise<unknown> {
      const response = await fetch(`${session.app.url}/api/journeys/${id}`, {
        headers: { authorization: `Bearer ${session.app.adminToken}` },
      });
      const { document } = (await response.json()) as {
        document: { nodes: { id: string; config: { add?: string[] } }[] };
      };
      return document.nodes.find((n) => n.id === 'tag')?.config.add;
    }
    const input = page().getByLabel('Add tags');
    await input.fill('vip');
    await input.press('Enter');
    await input.fill('beta,');
    await input.press(',');
    await expect.poll(storedTags, { timeout: 10_000 }).toEqual(['new', 'vip', 'beta']);
    await page().getByRole('button', { name: 'Remove new' }).click();
    await expect.poll(storedTags, { timeout: 10_000 }).toEqual(['vip', 'beta']);
    await screenshot(page(), 'inspector-tag-chips');
  });

  /** manual → tag `new` → exit, opened on the canvas. */
  async function openTagJourney(name: string): Promise<string> {
    const { id } = (await session.api('/api/journeys', {
      name,
      settings: {},
      nodes: [
        { id: 'trigger', kind: 'trigger.manual', position: { x: 0, y: 0 }, config: {} },
        { id: 'tag', kind: 'action.tag', position: { x: 0, y: 160 }, config: { add: ['new'] } },
        { id: 'exit', kind: 'logic.exit', position: { x: 0, y: 320 }, config: {} },
      ],
      edges: [
        { from: 'trigger', port: 'out', to: 'tag' },
        { from: 'tag', port: 'out', to: 'exit' },
      ],
    })) as { id: string };
    await page().goto(`${session.app.url}/journeys/${id}`);
    await node('tag').click();
    return id;
  }

  async function addTag(tag: string) {
    const input = page().getByLabel('Add tags');
    await input.fill(tag);
    await input.press('Enter');
  }

  async function stored(id: string, path = ''): Promise<Record<string, unknown>> {
    const response = await fetch(`${session.app.url}/api/journeys/${id}${path}`, {
      headers: { authorization: `Bearer ${session.app.adminToken}` },
    });
    return (await response.json()) as Record<string, unknown>;
  }

  /** Drafts stop reaching the server, as when the connection drops. */
  const dropSaves = (id: string) =>
    page().route(`**/api/journeys/${id}`, (route) =>
      route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue(),
    );

  it('publishes only once the last changes are saved, and asks before leaving them unsaved', async () => {
    const id = await openTagJourney('Publish what you see');
    await dropSaves(id);
    await addTag('vip');
    await expect.poll(() => page().getByText('Not saved:').isVisible()).toBe(true);

    // Publish does not open on an older draft: it says why and offers to save first.
    await page().getByRole('button', { name: 'Publish', exact: true }).click();
    const banner = page().locator('.banner.bad');
    await expect
      .poll(() => banner.textContent())
      .toContain("Your last changes aren't saved — Relance could not be reached");
    expect(await page().getByRole('dialog', { name: 'Publish the first version' }).count()).toBe(0);
    await screenshot(page(), 'journey-publish-unsaved');

    // Leaving by the menu asks; staying keeps the edit on the canvas.
    await openFromMainMenu(page(), 'Segments');
    const prompt = page().getByRole('dialog', { name: 'Leave without saving?' });
    await expect
      .poll(() => prompt.textContent())
      .toContain("Your last changes to this journey aren't saved — Relance could not be reached");
    await screenshot(page(), 'journey-leave-prompt');
    await prompt.getByRole('button', { name: 'Stay on this page' }).click();
    expect(new URL(page().url()).pathname).toBe(`/journeys/${id}`);
    expect(await page().getByRole('button', { name: 'Remove vip' }).count()).toBe(1);

    // Back online: "Save and publish" saves, and the dialog publishes the flow on screen.
    await page().unroute(`**/api/journeys/${id}`);
    await banner.getByRole('button', { name: 'Save and publish' }).click();
    const dialog = page().getByRole('dialog', { name: 'Publish the first version' });
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page().getByText('Version 1 is live.').isVisible()).toBe(true);
    const version = (await stored(id, '/versions/1')) as {
      document: { nodes: { id: string; config: { add?: string[] } }[] };
    };
    expect(version.document.nodes.find((n) => n.id === 'tag')?.config.add).toEqual(['new', 'vip']);

    // The browser's Forward button asks too (Back alike), and staying keeps the edit.
    await page().getByRole('link', { name: 'Watch contacts move through it' }).click();
    await expect.poll(() => new URL(page().url()).pathname).toBe(`/journeys/${id}/live`);
    await page().goBack();
    await node('tag').click();
    await dropSaves(id);
    await addTag('beta');
    await expect.poll(() => page().getByText('Not saved:').isVisible()).toBe(true);
    await page().goForward();
    await prompt.getByRole('button', { name: 'Stay on this page' }).click();
    expect(new URL(page().url()).pathname).toBe(`/journeys/${id}`);
    expect(await page().getByRole('button', { name: 'Remove beta' }).count()).toBe(1);

    // Leaving anyway is one click away.
    await openFromMainMenu(page(), 'Segments');
    await prompt.getByRole('button', { name: 'Leave without saving' }).click();
    await expect.poll(() => new URL(page().url()).pathname).toBe('/segments');
    await page().unroute(`**/api/journeys/${id}`);
  });

  it('keeps saving the canvas while the journey name is empty, under its last name', async () => {
    const id = await openTagJourney('Named once');
    const name = page().getByLabel('Journey name');
    await name.fill('');
    await addTag('vip');
    await expect
      .poll(() => page().getByRole('alert').filter({ hasText: 'Give the journey a name' }).count())
      .toBe(1);
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page().getByText('All changes saved').isVisible()).toBe(true);
    const saved = (await stored(id)) as {
      name: string;
      document: { nodes: { id: string; config: { add?: string[] } }[] };
    };
    expect(saved.name).toBe('Named once');
    expect(saved.document.nodes.find((n) => n.id === 'tag')?.config.add).toEqual(['new', 'vip']);
    await screenshot(page(), 'journey-name-empty');

    // Everything is saved: the menu leaves at once.
    await openFromMainMenu(page(), 'Journeys');
    await expect.poll(() => new URL(page().url()).pathname).toBe('/journeys');
    expect(await page().getByRole('dialog', { name: 'Leave without saving?' }).count()).toBe(0);
  });

  it('enrols a segment after confirming its count, and says so when the enrolment stopped', async () => {
    const id = await openTagJourney('Enrol a list');
    await session.api(`/api/journeys/${id}/publish`, {});
    const list = (await session.api('/api/segments', { kind: 'static', name: 'Beta list' })) as {
      id: string;
    };
    const contactIds: string[] = [];
    for (const who of ['ann', 'ben']) {
      const created = (await session.api('/api/contacts', {
        email: `beta.${who}@example.com`,
      })) as { contact: { id: string } };
      contactIds.push(created.contact.id);
    }
    await session.api(`/api/segments/${list.id}/members`, { contactIds });

    await page().goto(`${session.app.url}/journeys/${id}/live`);
    await page().getByRole('button', { name: 'Enrol contacts' }).click();
    const enrol = page().getByRole('dialog', { name: 'Enrol into Enrol a list' });
    await enrol.getByText('Everyone in a segment right now').click();
    await enrol.getByLabel('Segment', { exact: true }).selectOption({ label: 'Beta list' });
    await expect.poll(() => enrol.getByText('2 contacts in it right now.').isVisible()).toBe(true);

    // One click does not enrol a whole segment: the count is confirmed first.
    await enrol.getByRole('button', { name: 'Enrol…' }).click();
    const confirm = page().getByRole('dialog', { name: 'Enrol 2 contacts in Enrol a list?' });
    await expect.poll(() => confirm.textContent()).toContain('emails start going out');
    await screenshot(page(), 'journey-enrol-segment-confirm');
    await confirm.getByRole('button', { name: 'Enrol 2 contacts' }).click();
    // No worker here: the enrolment waits for one, then ends failed as a lost start does.
    await expect
      .poll(() => enrol.getByRole('status').textContent())
      .toContain('Enrolling: 0 of 2 members looked at');
    expect(await enrol.isVisible()).toBe(true);
    const [enrolment] = await session.app.sql<{ id: string }[]>`
      select id from journey_enrolments where journey_id = ${id}`;
    await failEnrolment(session.app.sql, enrolment!.id);

    const polls: string[] = [];
    page().on('request', (request) => {
      if (request.url().includes('/enrolments/')) polls.push(request.url());
    });
    await expect
      .poll(() => enrol.getByRole('alert').textContent(), { timeout: 10_000 })
      .toContain('Stopped after 0 of 2 members');
    expect(await enrol.getByRole('alert').textContent()).toContain('Enrol the segment again');
    await screenshot(page(), 'journey-enrol-stopped');
    // It no longer asks every second for a progress that cannot change.
    const asked = polls.length;
    await page().waitForTimeout(2_500);
    expect(polls.length).toBe(asked);
  });

  it('offers comparisons and a value input that fit the property’s type in the segment builder', async () => {
    // Declared by hand: no contact has a renewal date yet.
    await session.api('/api/properties/contact/renews_at', { type: 'date' }, { method: 'PUT' });
    for (const [userId, orders] of [
      ['c1', 1],
      ['c2', 5],
      ['c3', 8],
    ] as const) {
      await session.ingest('/v1/identify', {
        userId,
        traits: { email: `${userId}@example.com`, orders },
      });
    }

    await page().goto(`${session.app.url}/segments/new`);
    await page().getByLabel('Name', { exact: true }).fill('Repeat buyers');
    const leaf = page().locator('.condition-leaf').first();
    await leaf.getByLabel('What to check').selectOption('property');
    await leaf.getByLabel('Property').fill('orders');

    // A number: numeric comparisons only, typed in a number input, compared as a number.
    await expect.poll(() => leaf.locator('.leaf-type').textContent()).toBe('Number');
    const comparisons = await leaf.getByLabel('Comparison').locator('option').allTextContents();
    expect(comparisons).toContain('is more than');
    expect(comparisons).not.toContain('contains');
    expect(comparisons).not.toContain('is before');
    await leaf.getByLabel('Comparison').selectOption('gt');
    const value = leaf.getByLabel('Value', { exact: true });
    expect(await value.getAttribute('type')).toBe('number');
    await value.fill('3');
    await expect.poll(() => page().getByTestId('preview-count').textContent()).toBe('2');
    await screenshot(page(), 'segment-typed-condition');

    // A date property cannot be "more than" 3: the comparison is reset, and the builder says so.
    await leaf.getByLabel('Property').fill('renews_at');
    await expect.poll(() => leaf.locator('.leaf-type').textContent()).toBe('Date');
    await expect
      .poll(() => leaf.getByRole('status').textContent())
      .toBe('“is more than” does not apply to a date: changed to “is before”.');
    expect(await leaf.getByLabel('Comparison').inputValue()).toBe('before');
    expect(await leaf.getByLabel('Date').getAttribute('type')).toBe('date');
    await screenshot(page(), 'segment-typed-condition-reset');

    // A built-in contact field goes by its label, beside the picker and in the summary; the
    // period's amount box has a name of its own.
    await leaf.getByLabel('Property').fill('$created_at');
    await expect
      .poll(() => leaf.locator('[data-builtin-field]').textContent())
      .toBe('Date added (built-in field)');
    await leaf.getByLabel('Comparison').selectOption('within_last');
    await leaf.getByLabel('Period amount').fill('10');
    await expect
      .poll(() => page().locator('.condition-summary').first().textContent())
      .toContain('date added is within the last 10 days');
    expect(await page().locator('.condition-summary').first().textContent()).not.toContain('$');
    await screenshot(page(), 'segment-builtin-field');
  });

  it('highlights the template source and marks the line the API could not render', async () => {
    await page().goto(`${session.app.url}/templates/new`);
    // The body is checked once the rest of the template is complete.
    await page().getByLabel('Name', { exact: true }).fill('Pro thanks');
    await page().getByLabel('Kind').selectOption('transactional');
    await page().getByLabel('From name').fill('Acme');
    await page().getByLabel('From address').fill('news@acme.test');
    await page().getByLabel('Subject').fill('Thanks');
    const editor = page().getByLabel('MJML source');
    await editor.waitFor();
    await editor.click();
    await page().keyboard.press('Control+a');
    await page().keyboard.insertText(
      [
        '<mjml>',
        '  <mj-body>',
        '    <mj-section><mj-column>',
        '      <mj-text>Hi {{ contact.first_name | default: "there" }},</mj-text>',
        '      <mj-text>{% if contact.plan == "pro" %}Thanks for being pro{% endiff %}</mj-text>',
        '    </mj-column></mj-section>',
        '  </mj-body>',
        '</mjml>',
      ].join('\n'),
    );

    // Line numbers.
    expect(
      await page().locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^8$/ }).count(),
    ).toBe(1);
    // Inside {% %} and {{ }}, `if` is a keyword and "there" a string: only a Liquid parse says so.
    const token = (text: string) =>
      page().locator('.cm-line span', { hasText: new RegExp(`^${text}$`) });
    expect(await token('if').count()).toBe(1);
    expect(await token('"there"').count()).toBe(1);

    // The live check finds the broken tag: its line is underlined and marked in the gutter.
    const marked = page().locator('.cm-lintRange-error');
    await expect.poll(() => marked.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const markedLine = page().locator('.cm-line', { has: page().locator('.cm-lintRange-error') });
    expect(await markedLine.first().textContent()).toContain('endiff');
    expect(await page().locator('.cm-gutter-lint .cm-lint-marker-error').count()).toBe(1);
    await screenshot(page(), 'template-source-diagnostic');
  });
});
