import { useEffect, useRef, type ReactNode } from 'react'

/**
 * A modal list to choose from (the example applications, the lessons): its title with a Close button, opened as a
 * modal dialog (focus trapped, the page behind inert); Escape closes it as Close does, and focus returns to what
 * had it before.
 */
export function ListDialog({ id, title, onClose, children }: { id: string; title: string; onClose: () => void; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = dialog.current
    // Focus goes back where it was (the button that opened it) once the dialog is gone and the page is live again.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined
    if (d && !d.open) d.showModal()
    return () => {
      d?.close()
      opener?.focus()
    }
  }, [])
  return (
    <dialog
      ref={dialog}
      className="examples-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(ev) => {
        ev.preventDefault()
        onClose()
      }}
    >
      <div className="row examples-bar">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {children}
    </dialog>
  )
}
