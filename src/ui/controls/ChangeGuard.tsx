import { createContext, useCallback, useContext, useState, type ReactNode } from 'react'
import { ConfirmDialog } from './ConfirmDialog'

/** A change the user asked for; a large one carries the question to ask first and says what it is doing. */
interface Change {
  readonly perform: () => void
  /** Asked before a large change ("Scale web from 3 to 10,000 replicas? …"); without it the change just happens. */
  readonly question?: string
  /** The dialog's title and its yes button. */
  readonly title?: string
  readonly yes?: string
  /** Shown while it runs: "Scaling web to 10,000 replicas…". */
  readonly working?: string
}

const GuardContext = createContext<(change: Change) => void>((c) => c.perform())

/** Runs a change the user asked for, asking first when it is large. */
export const useChange = () => useContext(GuardContext)

/**
 * Where changes that take a while pass: asked about first (a change over a few hundred pods or Nodes, or megabytes
 * of YAML, blocks the page while the engine works in one go), then run once the page has shown that it is working,
 * so nobody wonders whether the click was taken. Small changes just happen.
 */
export function ChangeGuard({ children }: { children: ReactNode }) {
  const [asking, setAsking] = useState<Change | undefined>()
  const [working, setWorking] = useState<string | undefined>()
  const run = useCallback((c: Change) => {
    if (!c.working) return c.perform()
    setWorking(c.working)
    // Two frames: the note is painted before the work blocks the page.
    requestAnimationFrame(() =>
      setTimeout(() => {
        try {
          c.perform()
        } finally {
          setWorking(undefined)
        }
      }, 0),
    )
  }, [])
  const guard = useCallback((c: Change) => (c.question ? setAsking(c) : run(c)), [run])
  return (
    <GuardContext.Provider value={guard}>
      {children}
      {asking ? (
        <ConfirmDialog
          title={asking.title ?? 'A large change'}
          question={asking.question!}
          yes={asking.yes ?? 'Go ahead'}
          onYes={() => {
            setAsking(undefined)
            run(asking)
          }}
          onNo={() => setAsking(undefined)}
        />
      ) : null}
      <div className="working" role="status" aria-live="polite" hidden={!working}>
        {working ? (
          <>
            <span className="working-spinner" aria-hidden="true" /> {working}
          </>
        ) : null}
      </div>
    </GuardContext.Provider>
  )
}
