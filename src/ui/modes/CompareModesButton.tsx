import { useEffect, useRef, useState } from 'react'
import { ModeComparisonPanel } from './ModeComparison'

/**
 * The comparison in a modal dialog (focus kept inside, the page behind inert): Escape or Close shuts it and focus
 * goes back to the button that opened it.
 */
function ModeComparisonDialog({ service, onClose }: { service?: string | undefined; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = dialog.current
    // Focus goes back where it was (the button that opened it) once the dialog is closed and the page is live again.
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
      className="modes-dialog"
      aria-labelledby="modes-dialog-title"
      onCancel={(ev) => {
        ev.preventDefault()
        onClose()
      }}
    >
      <div className="row modes-dialog-bar">
        <h2 id="modes-dialog-title">Compare kube-proxy modes</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ModeComparisonPanel service={service} />
    </dialog>
  )
}

/**
 * "Compare modes": opens iptables, IPVS and nftables side by side for one Service (`service`, "ns/name", when one is
 * selected; the first otherwise), and how each scales with the number of Services.
 */
export function CompareModesButton({ service }: { service?: string | undefined }) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Compare modes
      </button>
      {open ? <ModeComparisonDialog service={service} onClose={() => setOpen(false)} /> : null}
    </>
  )
}
