import { useRef, useState } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { encodeShare, type ShareView } from '../../store/shareLink'
import type { SimulationStore } from '../../store/simulationStore'

/**
 * "Copy link": a URL whose #share= holds the whole scenario (and the lesson step and view), copied to the clipboard
 * and shown in a read-only field, so it can be copied by hand where the clipboard is not allowed.
 */
export function ShareButton({ store, lesson, view }: { store: StoreApi<SimulationStore>; lesson: (() => { id: string; step: number } | undefined) | undefined; view: ShareView }) {
  const [link, setLink] = useState<{ readonly url?: string; readonly message: string }>()
  const field = useRef<HTMLInputElement>(null)
  const copy = async () => {
    const r = await encodeShare(store.getState().scenario(), lesson?.(), view)
    if (!r.ok) {
      setLink({ message: r.reason })
      return
    }
    const url = `${window.location.origin}${window.location.pathname}${r.hash}`
    let copied = false
    try {
      await navigator.clipboard.writeText(url)
      copied = true
    } catch {
      copied = false
    }
    setLink({ url, message: copied ? `Link copied (${url.length.toLocaleString('en-US')} characters). Opening it rebuilds this very cluster.` : 'Copy the link from the field.' })
    requestAnimationFrame(() => field.current?.select())
  }
  return (
    <>
      <button type="button" onClick={() => void copy()}>
        Copy link
      </button>
      {link ? (
        <div className="share-panel" role="group" aria-label="Share">
          <label>
            Share link <input ref={field} type="text" readOnly value={link.url ?? ''} onFocus={(e) => e.target.select()} />
          </label>
          <span role="status">{link.message}</span>
          <button type="button" onClick={() => setLink(undefined)}>
            Close
          </button>
        </div>
      ) : null}
    </>
  )
}
