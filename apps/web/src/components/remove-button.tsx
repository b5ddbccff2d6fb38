/** The × that removes one item of a list; `what` names it for screen readers ("the rule Email click"). */
export function RemoveButton({
  what,
  onClick,
  className,
}: {
  what: string;
  onClick: () => void;
  className?: string;
}) {
  return (
    <button
      type="button"
      className={className ? `icon-button ${className}` : 'icon-button'}
      aria-label={`Remove ${what}`}
      title={`Remove ${what}`}
      onClick={onClick}
    >
      ×
    </button>
  );
}
