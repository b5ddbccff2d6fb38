import type { NodeKind } from '@relance/flow';

/** One line under each palette item: what the step does, in the marketer's words. */
export const PALETTE_HINTS: Record<NodeKind, string> = {
  'trigger.event': 'Start when a contact does something (order, signup, visit)',
  'trigger.segment_entered': 'Start when a contact joins a segment',
  'trigger.segment_exited': 'Start when a contact leaves a segment',
  'trigger.date': 'Start on a date stored on the contact, such as a birthday',
  'trigger.manual': 'Enrol contacts by hand, from a segment or through the API',
  'wait.delay': 'Pause for a while: hours, days, weeks',
  'wait.until': 'Pause until a time of day, on chosen weekdays',
  'wait.event': 'Pause until the contact does something, or give up after a while',
  'wait.condition': 'Pause until something is true about the contact',
  'logic.condition': 'Take the yes or no path depending on the contact',
  'logic.switch': 'One path per case, and one for everyone else',
  'logic.split': 'Send random shares down different paths (A/B tests, holdouts)',
  'logic.goal': 'Count a conversion and stop (or continue) when it happens',
  'logic.exit': 'End the path here',
  'action.send_email': 'Send one of your email templates',
  'action.segment': 'Add to, remove from or move between lists',
  'action.tag': 'Add or remove tags',
  'action.set_property': 'Store a value on the contact',
  'action.score': 'Raise or lower the lead score',
  'action.webhook': 'Call another system over HTTP',
  'action.notify': 'Email a teammate, for instance about a hot lead',
};
