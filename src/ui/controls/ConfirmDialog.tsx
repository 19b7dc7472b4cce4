import { useEffect, useRef } from 'react'

/**
 * A modal question with two answers; Escape is the second. Focus starts on the question itself, not on an answer:
 * the Enter that asked it (typing a number) would otherwise answer it at once.
 */
export function ConfirmDialog({ title, question, yes, onYes, onNo }: { title: string; question: string; yes: string; onYes: () => void; onNo: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = dialog.current
    if (d && !d.open) d.showModal()
    d?.querySelector<HTMLElement>('#confirm-question')?.focus()
  }, [])
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-question"
      onCancel={(e) => {
        e.preventDefault()
        onNo()
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-question" tabIndex={-1}>
        {question}
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={onYes}>
          {yes}
        </button>
        <button type="button" onClick={onNo}>
          Cancel
        </button>
      </div>
    </dialog>
  )
}
