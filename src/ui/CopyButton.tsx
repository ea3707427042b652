import { useId, useState } from 'react';

interface CopyButtonProps {
  /** The button's text. */
  label: string;
  /** Makes the text to copy, at the moment of the click (it reads the current view). */
  text: () => string;
  /** What the field holds, for screen readers ("Link to this view"). */
  fieldLabel: string;
  /** The status when the clipboard took the text ("Link copied.") and when it refused ("Copy the link above."). */
  copiedText: string;
  refusedText: string;
  className: string;
  testId: string;
}

/**
 * Copies text to the clipboard and also shows it in a read-only field, selected on focus: the
 * clipboard may refuse (permissions, an iframe, an old browser), the field never does.
 */
export function CopyButton({ label, text, fieldLabel, copiedText, refusedText, className, testId }: CopyButtonProps) {
  const [value, setValue] = useState<string | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const id = useId();
  const copy = () => {
    const next = text();
    setValue(next);
    setCopied(null);
    if (!navigator.clipboard) return setCopied(false);
    navigator.clipboard.writeText(next).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className={className}>
      <button type="button" onClick={copy}>
        {label}
      </button>
      {value !== null && (
        <>
          <label htmlFor={id} className="visually-hidden">
            {fieldLabel}
          </label>
          <input id={id} data-testid={testId} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
          <span role="status" className="note">
            {copied === true ? copiedText : copied === false ? refusedText : ''}
          </span>
        </>
      )}
    </div>
  );
}
