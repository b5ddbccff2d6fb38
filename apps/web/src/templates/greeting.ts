/**
 * The contact property a greeting reads: the workspace's own first-name property when its
 * contacts carry one (Segment's identify sends `firstName`), else `first_name`. A hint or a
 * starter naming a property no contact has renders "Hi there" for everyone, and the editor then
 * warns about the very line it suggested.
 */
export function firstNameProperty(contactProperties: readonly string[]): string {
  if (contactProperties.includes('first_name')) return 'first_name';
  const loose = (name: string) => name.toLowerCase().replace(/[_\-\s]/g, '');
  return (
    contactProperties.find(
      // `contact.First Name` is not Liquid: only a plain name can follow the dot.
      (name) => /^[A-Za-z_]\w*$/.test(name) && ['firstname', 'givenname'].includes(loose(name)),
    ) ?? 'first_name'
  );
}

/** `{{ contact.firstName | default: "there" }}`: a greeting that never reads "Hi ,". */
export function greetingLiquid(property: string): string {
  return `{{ contact.${property} | default: "there" }}`;
}

/**
 * `{{ event.amount | money }}`: an order's value written in the workspace's currency ("€59.90"),
 * reading the property the workspace's orders carry their value in (`amount` when none is set).
 */
export function moneyLiquid(valueProperty: string | null | undefined): string {
  const name = valueProperty?.trim() || 'amount';
  const path = /^[A-Za-z_]\w*$/.test(name) ? `event.${name}` : `event[${JSON.stringify(name)}]`;
  return `{{ ${path} | money }}`;
}
