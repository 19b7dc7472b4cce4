/** A refusal in kubectl's words, announced when it appears and focusable so it can be read again; nothing when there is none. */
export function CommandError({ message, label = 'Error' }: { message: string | undefined; label?: string }) {
  return message ? (
    <pre className="error kubectl-output" role="alert" tabIndex={0} aria-label={label}>
      {message}
    </pre>
  ) : null
}
