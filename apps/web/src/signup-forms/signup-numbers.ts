/** A form's signup numbers as the API counts them. */
export interface SignupNumbers {
  /** Accepted submissions: one person signing up twice counts twice. */
  total: number;
  /** The people they came from. */
  people: number;
  /** Of them, those who confirmed their address by the double opt-in email. */
  confirmed: number;
}

const plural = (count: number, one: string, many: string) =>
  `${count.toLocaleString()} ${count === 1 ? one : many}`;

/**
 * The line above a form's latest signups: how many people, how many times, and under double opt-in
 * how many confirmed, so a marketer sees who is really on the list.
 */
export function signupSummary(numbers: SignupNumbers, doubleOptIn: boolean): string {
  const { total, people, confirmed } = numbers;
  const who =
    total === people
      ? plural(people, 'person signed up', 'people signed up')
      : `${plural(people, 'person', 'people')} signed up (${plural(total, 'signup', 'signups')}: some sent the form more than once)`;
  // A form that asked for confirmation before keeps its confirmed count when it stops asking.
  if (!doubleOptIn && confirmed === 0) return `${who}; the latest:`;
  const waiting = people - confirmed;
  const confirmedWords =
    confirmed === people
      ? people === 1
        ? 'they confirmed their address'
        : 'all confirmed their address'
      : `${confirmed.toLocaleString()} confirmed their address, ${waiting.toLocaleString()} not yet`;
  return `${who}; ${confirmedWords}. The latest:`;
}
