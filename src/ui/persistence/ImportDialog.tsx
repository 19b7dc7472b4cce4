import { useEffect, useRef } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import type { SimulationStore } from '../../store/simulationStore'
import type { ImportResult } from './scenarioFile'

/**
 * Asks before an imported scenario replaces the cluster, or says why the file cannot be imported (nothing changed).
 * A modal <dialog>: focus stays inside, Escape closes it, and Cancel is focused first, as replacing loses the cluster.
 */
export function ImportDialog({ file, result, onReplace, onClose }: { file: string; result: ImportResult; onReplace: (store: StoreApi<SimulationStore>) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const first = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const d = dialog.current
    if (d && !d.open) d.showModal()
    first.current?.focus()
  }, [])
  const title = result.ok ? 'Replace the current cluster?' : 'This file cannot be imported'
  return (
    <dialog ref={dialog} className="import-dialog" aria-labelledby="import-title" aria-describedby="import-text" onClose={onClose}>
      <h2 id="import-title">{title}</h2>
      {result.ok ? (
        <>
          <p id="import-text">
            “{file}” holds a cluster of {result.summary}. Importing it replaces the cluster you have now, which is lost unless you export it first.
          </p>
          <div className="dialog-buttons">
            <button type="button" className="primary" onClick={() => onReplace(result.store)}>
              Replace the cluster
            </button>
            <button type="button" ref={first} onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <>
          <p id="import-text">
            “{file}” cannot be imported: {result.reason}. Nothing was changed.
          </p>
          <div className="dialog-buttons">
            <button type="button" ref={first} onClick={() => dialog.current?.close()}>
              Close
            </button>
          </div>
        </>
      )}
    </dialog>
  )
}
