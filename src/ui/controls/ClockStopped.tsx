/** Says that the cluster's clock stopped on an internal error, in words, until dismissed. */
export function ClockStopped({ message, onClose }: { message: string; onClose: () => void }) {
  return (
    <div className="notice" role="alert">
      {message}{' '}
      <button type="button" onClick={onClose}>
        Dismiss
      </button>
    </div>
  )
}
