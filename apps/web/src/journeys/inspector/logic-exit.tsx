/** Nothing to configure. */
export function LogicExitForm() {
  return <p className="muted">Contacts who reach this step leave the journey.</p>;
}
