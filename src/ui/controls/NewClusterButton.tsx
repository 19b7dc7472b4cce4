import { useRef, useState } from 'react'
import { ConfirmDialog } from './ConfirmDialog'

/** "New cluster": a fresh cluster in place of this one, asked first (what runs now is lost unless exported). */
export function NewClusterButton({ onConfirm }: { onConfirm: () => void }) {
  const [asking, setAsking] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  return (
    <>
      <button type="button" ref={button} onClick={() => setAsking(true)} aria-haspopup="dialog">
        New cluster
      </button>
      {asking ? (
        <ConfirmDialog
          title="Start a new cluster?"
          question="The cluster as it is now is replaced by a fresh one (a Deployment web, its Service and a client Pod). Export it first to keep it."
          yes="Start a new cluster"
          onYes={() => {
            setAsking(false)
            onConfirm()
          }}
          onNo={() => {
            setAsking(false)
            button.current?.focus()
          }}
        />
      ) : null}
    </>
  )
}
