/** Matches the open-tracking pixel of a sent email (`<img src=".../t/o/<token>">`). */
const OPEN_PIXEL = /<img\b[^>]*\/t\/o\/[^>]*>/gi;

/**
 * The email as sent, minus its open pixel: looking at the copy in Relance is not the contact
 * opening it, and would otherwise record an `email.opened` for them.
 */
export function viewableHtml(html: string): string {
  return html.replace(OPEN_PIXEL, '');
}
