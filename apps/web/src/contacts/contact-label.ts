/** What the contact screens need of a contact to name it. */
export interface Nameable {
  id: string;
  email: string | null;
  externalId: string | null;
  properties?: Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * The name a contact goes by, read from the properties imports and sign-up forms usually carry:
 * `name`, else first and last name (`first_name`/`last_name` or `firstName`/`lastName`).
 */
export function contactName(properties: Record<string, unknown> | undefined): string | null {
  if (!properties) return null;
  const name = text(properties.name);
  if (name) return name;
  const first = text(properties.first_name) || text(properties.firstName);
  const last = text(properties.last_name) || text(properties.lastName);
  return [first, last].filter(Boolean).join(' ') || null;
}

/** How a contact is shown in lists and links: its email, else its external id, else its id. */
export const contactLabel = (c: Nameable) => c.email ?? c.externalId ?? c.id;

/** The line under a contact's label: its name and, beside an email, its external id. */
export function contactDetail(c: Nameable): string | null {
  const parts = [contactName(c.properties)];
  if (c.email && c.externalId) parts.push(c.externalId);
  return parts.filter(Boolean).join(' · ') || null;
}
