import { useCallback, useRef, useState } from 'react'
import './persistence.css'
import type { StoreApi } from 'zustand/vanilla'
import type { SimulationStore } from '../../store/simulationStore'
import { ImportDialog } from './ImportDialog'
import { downloadScenario, readScenarioFile, type ImportResult } from './scenarioFile'
import type { SaveStatus } from './useAutosave'
import { useFileDrop } from './useFileDrop'

/**
 * Export and import of a scenario file (a file picker, or a file dropped anywhere on the page), and a polite word when
 * the cluster is not being saved in the browser.
 */
export function ScenarioControls({ store, status, onReplace }: { store: StoreApi<SimulationStore>; status: SaveStatus; onReplace: (store: StoreApi<SimulationStore>) => void }) {
  const input = useRef<HTMLInputElement>(null)
  const [reading, setReading] = useState(false)
  const [pending, setPending] = useState<{ readonly file: string; readonly result: ImportResult }>()
  const importFile = useCallback(async (file: File) => {
    setReading(true)
    // Let "Reading…" paint before the file is replayed (a large one takes a moment).
    await new Promise((resolve) => setTimeout(resolve, 0))
    const result = await readScenarioFile(file)
    setReading(false)
    setPending({ file: file.name, result })
  }, [])
  const dragging = useFileDrop(importFile)
  const exportNow = () => downloadScenario(store)
  return (
    <div className="scenario-controls" role="group" aria-label="Scenario file">
      {/* Short words keep the header on one line at 1280 px; the names say what is exported and imported. */}
      <button type="button" onClick={exportNow} aria-label="Export scenario" title="Download this cluster as a scenario file">
        Export
      </button>
      <button type="button" onClick={() => input.current?.click()} disabled={reading} aria-label={reading ? 'Reading the file…' : 'Import scenario'} title="Open a scenario file (or drop one on the page)">
        {reading ? 'Reading…' : 'Import…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) void importFile(file)
        }}
      />
      {/* The live region is always there, so the words are announced when they appear; the status only while it says something. */}
      <div className="save-status-region" aria-live="polite">
        {status !== 'saved' ? (
          <p className="save-status" role="status">
            {status === 'full' ? 'Not saved: browser storage is full.' : 'Not saved: this browser does not allow saving.'}{' '}
            <button type="button" className="link" onClick={exportNow}>
              Export the scenario
            </button>{' '}
            to keep it.
          </p>
        ) : null}
      </div>
      {pending ? (
        <ImportDialog
          file={pending.file}
          result={pending.result}
          onReplace={(next) => {
            setPending(undefined)
            onReplace(next)
          }}
          onClose={() => setPending(undefined)}
        />
      ) : null}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          Drop a scenario file to import it
        </div>
      ) : null}
    </div>
  )
}
