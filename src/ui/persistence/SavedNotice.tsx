import { useEffect, useMemo } from 'react'

/** Why the saved cluster was not restored, with its data to download; the reason is always in plain words. */
export function SavedNotice({ reason, raw, onClose }: { reason: string; raw: string; onClose: () => void }) {
  const href = useMemo(() => URL.createObjectURL(new Blob([raw], { type: 'application/json' })), [raw])
  useEffect(() => () => URL.revokeObjectURL(href), [href])
  return (
    <div className="notice" role="alert">
      Your saved cluster could not be restored: {reason}. A fresh cluster was started instead.{' '}
      <a href={href} download="saved-scenario.json">
        Download the old data
      </a>{' '}
      <button type="button" onClick={onClose}>
        Dismiss
      </button>
    </div>
  )
}
