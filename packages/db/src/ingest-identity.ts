import type { Sql, TransactionSql } from './sql';

/** Who a message is about, as Segment's libraries say it. */
export interface Identity {
  userId?: string | undefined;
  anonymousId?: string | undefined;
  /** Normalised (trimmed, lower-cased): from an identify's `traits.email`. */
  email?: string | undefined;
}

/** A contact as identity resolution sees it; `id` is null until it is created. */
export interface ContactRef {
  id: string | null;
  externalId: string | null;
  email: string | null;
  anonymousId: string | null;
  /** An existing contact that gained an identifier in this batch. */
  linked: boolean;
}

/** Lower-cased and trimmed: the same person is never two contacts because of case or spaces. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** An identifier of a contact: the field of ContactRef that holds it. */
export type IdentifierField = 'externalId' | 'email' | 'anonymousId';

/** The contact a message is about, and the merged contact's identifier that led to it, if any. */
export interface IdentityMatch {
  ref: ContactRef;
  /**
   * Set when the contact was found through an identifier of a contact merged into it, or through
   * an id remembered for it (`alias`: see contact_aliases).
   */
  throughMerged: { field: IdentifierField; value: string; alias?: true } | null;
}

/**
 * A remembered id (contact_aliases) that a live contact holds all the same: the two were written
 * at the same instant in two lanes. The holder is the same person as the alias's contact.
 */
export interface AliasConflict {
  field: 'externalId' | 'anonymousId';
  value: string;
  holder: ContactRef;
  target: ContactRef;
}

/**
 * Resolves identities to contacts within one batch: by userId, then email, then anonymousId.
 * A userId arriving for a contact known only by email or anonymousId adopts it (the visitor
 * signed up); identifiers of merged contacts lead to the contact they were merged into.
 */
export class IdentityIndex {
  readonly byExternal = new Map<string, ContactRef>();
  readonly byEmail = new Map<string, ContactRef>();
  readonly byAnonymous = new Map<string, ContactRef>();
  readonly created: ContactRef[] = [];
  /** Identifiers that lead to a contact only because a contact merged into it holds them. */
  private readonly merged: Record<IdentifierField, Set<string>> = {
    externalId: new Set(),
    email: new Set(),
    anonymousId: new Set(),
  };
  /** Identifiers that lead to a contact through contact_aliases. */
  private readonly aliased = new Set<string>();
  /** Ids this batch remembers for a contact that does not hold them: saved by saveAliases. */
  readonly newAliases = new Map<string, ContactRef>();
  readonly aliasConflicts: AliasConflict[] = [];
  private readonly byId = new Map<string, ContactRef>();

  add(ref: ContactRef) {
    if (ref.id !== null && !this.byId.has(ref.id)) this.byId.set(ref.id, ref);
    if (ref.externalId !== null && !this.byExternal.has(ref.externalId))
      this.byExternal.set(ref.externalId, ref);
    if (ref.email !== null && !this.byEmail.has(ref.email)) this.byEmail.set(ref.email, ref);
    if (ref.anonymousId !== null && !this.byAnonymous.has(ref.anonymousId))
      this.byAnonymous.set(ref.anonymousId, ref);
  }

  /** Loads the contacts any of these identities already name, merged ones included. */
  async load(tx: TransactionSql | Sql, workspaceId: string, identities: readonly Identity[]) {
    const ext = [...new Set(identities.flatMap((i) => (i.userId ? [i.userId] : [])))];
    const emails = [...new Set(identities.flatMap((i) => (i.email ? [i.email] : [])))];
    const anon = [...new Set(identities.flatMap((i) => (i.anonymousId ? [i.anonymousId] : [])))];
    if (ext.length + emails.length + anon.length === 0) return;
    const ids = [...new Set([...ext, ...anon])];
    // Live contacts through the unique indexes, merged ones through theirs, remembered ids
    // through contact_aliases' key (followed to the contact a merge kept): one round trip.
    const rows = await tx<
      (Omit<ContactRef, 'linked'> & {
        merged: boolean | null;
        aliasExternalId: string | null;
        aliasEmail: string | null;
        aliasAnonymousId: string | null;
      })[]
    >`
      (select id, external_id, email, anonymous_id, false as merged,
          null::text as alias_external_id, null::text as alias_email, null::text as alias_anonymous_id
        from contacts
        where workspace_id = ${workspaceId} and merged_into is null
          and (external_id = any(${ext}::text[]) or email = any(${emails}::text[])
            or anonymous_id = any(${anon}::text[])))
      union all
      (select s.id, s.external_id, s.email, s.anonymous_id, true,
          m.external_id, m.email, m.anonymous_id
        from contacts m join contacts s on s.id = m.merged_into
        where m.workspace_id = ${workspaceId} and m.merged_into is not null
          and (m.external_id = any(${ext}::text[]) or m.email = any(${emails}::text[])
            or m.anonymous_id = any(${anon}::text[])))
      union all
      (select s.id, s.external_id, s.email, s.anonymous_id, null,
          a.identifier, null, null
        from contact_aliases a
          join contacts c on c.id = a.contact_id
          join contacts s on s.id = coalesce(c.merged_into, c.id)
        where a.workspace_id = ${workspaceId} and a.identifier = any(${ids}::text[]))`;
    for (const row of rows) {
      if (row.merged === false)
        this.add({
          id: row.id,
          externalId: row.externalId,
          email: row.email,
          anonymousId: row.anonymousId,
          linked: false,
        });
    }
    for (const row of rows) {
      if (row.merged !== true) continue;
      const survivor = this.byId.get(row.id!) ??
        this.byExternal.get(row.externalId ?? '') ??
        this.byEmail.get(row.email ?? '') ?? {
          id: row.id,
          externalId: row.externalId,
          email: row.email,
          anonymousId: row.anonymousId,
          linked: false,
        };
      this.add(survivor);
      if (row.aliasExternalId && !this.byExternal.has(row.aliasExternalId)) {
        this.byExternal.set(row.aliasExternalId, survivor);
        this.merged.externalId.add(row.aliasExternalId);
      }
      if (row.aliasEmail && !this.byEmail.has(row.aliasEmail)) {
        this.byEmail.set(row.aliasEmail, survivor);
        this.merged.email.add(row.aliasEmail);
      }
      if (row.aliasAnonymousId && !this.byAnonymous.has(row.aliasAnonymousId)) {
        this.byAnonymous.set(row.aliasAnonymousId, survivor);
        this.merged.anonymousId.add(row.aliasAnonymousId);
      }
    }
    // Held ids win over remembered ones; a live contact holding a remembered id is a conflict.
    const asked = { ext: new Set(ext), anon: new Set(anon) };
    for (const row of rows) {
      if (row.merged !== null) continue;
      const target = this.byId.get(row.id!) ?? {
        id: row.id,
        externalId: row.externalId,
        email: row.email,
        anonymousId: row.anonymousId,
        linked: false,
      };
      this.add(target);
      const value = row.aliasExternalId!;
      for (const [field, map] of [
        ['externalId', this.byExternal],
        ['anonymousId', this.byAnonymous],
      ] as const) {
        if (!(field === 'externalId' ? asked.ext : asked.anon).has(value)) continue;
        const holder = map.get(value);
        if (holder === undefined) {
          map.set(value, target);
          this.aliased.add(value);
        } else if (holder.id !== target.id && !this.merged[field].has(value)) {
          this.aliasConflicts.push({ field, value, holder, target });
        }
      }
    }
  }

  /** Remembers `value` as an id of `ref`, which does not hold it (see contact_aliases). */
  private remember(value: string, ref: ContactRef) {
    if (this.newAliases.has(value)) return;
    this.newAliases.set(value, ref);
    if (!this.byExternal.has(value)) this.byExternal.set(value, ref);
    if (!this.byAnonymous.has(value)) this.byAnonymous.set(value, ref);
  }

  private create(
    fields: Partial<Pick<ContactRef, 'externalId' | 'email' | 'anonymousId'>>,
  ): ContactRef {
    const ref: ContactRef = {
      id: null,
      externalId: fields.externalId ?? null,
      email: fields.email ?? null,
      anonymousId: fields.anonymousId ?? null,
      linked: false,
    };
    this.created.push(ref);
    this.add(ref);
    return ref;
  }

  private link(ref: ContactRef, field: 'externalId' | 'email' | 'anonymousId', value: string) {
    ref[field] = value;
    if (ref.id !== null) ref.linked = true;
    this.add(ref);
  }

  /** The contact a message is about, creating or linking as needed. */
  resolve(identity: Identity): ContactRef {
    return this.match(identity).ref;
  }

  /** `resolve`, also saying whether a merged contact's identifier led to the contact. */
  match(identity: Identity): IdentityMatch {
    const { userId, email, anonymousId } = identity;
    const byEmail = email ? this.byEmail.get(email) : undefined;
    const byAnon = anonymousId ? this.byAnonymous.get(anonymousId) : undefined;
    let ref: ContactRef;
    let via: { field: IdentifierField; value: string } | null = null;
    if (userId) {
      const known = this.byExternal.get(userId);
      if (known) {
        ref = known;
        via = { field: 'externalId', value: userId };
      } else {
        const adoptable = [byEmail, byAnon].find((r) => r !== undefined && r.externalId === null);
        if (adoptable) {
          via =
            adoptable === byEmail
              ? { field: 'email', value: email! }
              : { field: 'anonymousId', value: anonymousId! };
          this.link(adoptable, 'externalId', userId);
          ref = adoptable;
        } else ref = this.create({ externalId: userId });
      }
    } else if (email) {
      if (byEmail) {
        ref = byEmail;
        via = { field: 'email', value: email };
      } else if (byAnon && byAnon.email === null) {
        this.link(byAnon, 'email', email);
        ref = byAnon;
      } else ref = this.create({ email });
    } else {
      ref = byAnon ?? this.create({ anonymousId: anonymousId! });
      if (byAnon) via = { field: 'anonymousId', value: anonymousId! };
    }
    // Secondary identifiers attach when nobody else holds them. A contact keeps one anonymousId:
    // another browser's is remembered for it, so that browser's anonymous events join it too.
    if (anonymousId && !this.byAnonymous.has(anonymousId)) {
      if (ref.anonymousId === null) this.link(ref, 'anonymousId', anonymousId);
      else this.remember(anonymousId, ref);
    }
    if (email && ref.email === null && !this.byEmail.has(email)) this.link(ref, 'email', email);
    if (via && this.aliased.has(via.value) && via.field !== 'email')
      return { ref, throughMerged: { ...via, alias: true } };
    return { ref, throughMerged: via && this.merged[via.field].has(via.value) ? via : null };
  }

  /**
   * The contact an alias is about (its userId's), and the contact its `previousId` names: as a
   * userId first, then as an anonymousId, then as an email (Segment's own example aliases an
   * email to a database id). Found before the userId links or creates anything.
   */
  matchAlias(
    userId: string,
    previousId: string,
  ): { match: IdentityMatch; previous: { ref: ContactRef; field: IdentifierField } | undefined } {
    const email = normaliseEmail(previousId);
    const found = (field: IdentifierField, ref: ContactRef | undefined) =>
      ref ? { ref, field } : undefined;
    const previous =
      found('externalId', this.byExternal.get(previousId)) ??
      found('anonymousId', this.byAnonymous.get(previousId)) ??
      found('email', this.byEmail.get(email));
    // A new userId adopts the contact previousId names when it has no userId of its own, as an
    // identify's does. A previousId nobody holds is remembered for the userId's contact, as a
    // userId and as an anonymousId (an alias does not say which it was), and kept as its
    // anonymousId if it has none: a delayed batch of a device still using the former userId, and
    // the browser's events still on their way (in other lanes), join it.
    const adoptable = previous?.ref.externalId === null;
    const match = this.match({
      userId,
      ...(!previous || (adoptable && previous.field === 'anonymousId')
        ? { anonymousId: previousId }
        : {}),
      ...(adoptable && previous.field === 'email' ? { email } : {}),
    });
    if (!previous) this.remember(previousId, match.ref);
    return { match, previous };
  }

  /** Who holds an email now (for an identify that changes it). */
  holderOfEmail(email: string): ContactRef | undefined {
    return this.byEmail.get(email);
  }

  changeEmail(ref: ContactRef, email: string) {
    if (ref.email !== null && this.byEmail.get(ref.email) === ref) this.byEmail.delete(ref.email);
    ref.email = email;
    this.byEmail.set(email, ref);
    this.merged.email.delete(email);
  }
}

/**
 * Why a message's email is not written on its contact, or null when it may be: a contact found
 * through an identifier of a contact merged into it keeps its own email (the old identifier
 * names the same person, not a new address; taking it would leave the survivor's own address
 * to nobody, and the next message with it would make a second contact).
 */
export function keptEmailReason(match: IdentityMatch, email: string): string | null {
  const { ref, throughMerged } = match;
  if (throughMerged === null || ref.email === null || ref.email === email) return null;
  if (throughMerged.alias)
    return `${throughMerged.value} was aliased to the contact with ${ref.email}, which keeps its email; ${email} was not set`;
  const merged = `The contact with ${throughMerged.value} was merged into the one with ${ref.email}, which keeps its email`;
  return throughMerged.field === 'email' && throughMerged.value === email
    ? merged
    : `${merged}; ${email} was not set`;
}

/** Raised when a concurrent writer created a contact this batch was about to create: retry. */
export class IdentityRaceError extends Error {
  override name = 'IdentityRaceError';
}

/** What a contact created by saveIdentities starts with besides its identifiers (an import row). */
export interface NewContactFields {
  properties: Record<string, unknown>;
  tags: string[];
  timezone: string | null;
  lifecycleStage: string | null;
}

/**
 * Creates the batch's new contacts (with their first fields, when given: one write instead of
 * an insert and an update) and saves identifiers linked to existing ones.
 */
export async function saveIdentities(
  tx: TransactionSql,
  workspaceId: string,
  index: IdentityIndex,
  now: Date,
  initial?: ReadonlyMap<ContactRef, NewContactFields>,
): Promise<void> {
  if (index.created.length > 0) {
    // One order for every writer: concurrent batches creating the same people wait for each
    // other on the unique indexes instead of deadlocking.
    const keyOf = (r: ContactRef) =>
      `${r.externalId ?? ''}\u0000${r.email ?? ''}\u0000${r.anonymousId ?? ''}`;
    index.created.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    const rows = index.created.map((r, k) => {
      const fields = initial?.get(r);
      return {
        k,
        external_id: r.externalId,
        email: r.email,
        anonymous_id: r.anonymousId,
        ...(fields && {
          properties: fields.properties,
          tags: fields.tags,
          timezone: fields.timezone,
          lifecycle_stage: fields.lifecycleStage,
        }),
      };
    });
    const inserted = await tx<Omit<ContactRef, 'linked'>[]>`
      insert into contacts (workspace_id, external_id, email, anonymous_id, properties, tags,
        timezone, lifecycle_stage, created_at, updated_at)
      select ${workspaceId}, x.external_id, x.email, x.anonymous_id,
        coalesce(x.properties, '{}'), coalesce(x.tags, '{}'), x.timezone, x.lifecycle_stage,
        ${now}, ${now}
      from jsonb_to_recordset(${tx.json(rows as never)}::jsonb)
        as x(k int, external_id text, email text, anonymous_id text, properties jsonb,
          tags text[], timezone text, lifecycle_stage text)
      order by x.k
      on conflict do nothing
      returning id, external_id, email, anonymous_id`;
    if (inserted.length !== rows.length)
      throw new IdentityRaceError('A contact was created concurrently');
    // RETURNING follows insertion order.
    inserted.forEach((row, k) => (index.created[k]!.id = row.id));
  }
  const linked = [
    ...new Set([
      ...index.byExternal.values(),
      ...index.byEmail.values(),
      ...index.byAnonymous.values(),
    ]),
  ].filter((r) => r.linked && r.id !== null);
  if (linked.length > 0) {
    const rows = linked
      .map((r) => ({
        id: r.id,
        external_id: r.externalId,
        email: r.email,
        anonymous_id: r.anonymousId,
      }))
      .sort((a, b) => a.id!.localeCompare(b.id!));
    await tx`
      update contacts c set
        external_id = coalesce(c.external_id, x.external_id),
        email = coalesce(c.email, x.email),
        anonymous_id = coalesce(c.anonymous_id, x.anonymous_id),
        updated_at = ${now}
      from jsonb_to_recordset(${tx.json(rows)}::jsonb)
        as x(id uuid, external_id text, email text, anonymous_id text)
      where c.id = x.id`;
  }
}

/**
 * Saves the ids this batch remembered for contacts that do not hold them (contact_aliases), once
 * the contacts exist. The first writer of an id keeps it.
 */
export async function saveAliases(
  tx: TransactionSql,
  workspaceId: string,
  index: IdentityIndex,
  now: Date,
): Promise<void> {
  const rows = [...index.newAliases]
    .map(([identifier, ref]) => ({ identifier, contact_id: ref.id }))
    .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
  if (rows.length === 0) return;
  await tx`
    insert into contact_aliases (workspace_id, identifier, contact_id, created_at)
    select ${workspaceId}, x.identifier, x.contact_id, ${now}
    from jsonb_to_recordset(${tx.json(rows)}::jsonb) as x(identifier text, contact_id uuid)
    on conflict do nothing`;
}
