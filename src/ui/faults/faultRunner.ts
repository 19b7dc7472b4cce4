import { createContext, useCallback, useContext } from 'react'
import type { CommandResult } from '../../sim'
import { useStoreApi } from '../storeContext'
import { failureText, safely } from '../userMessage'
import type { FaultAction } from './faultChoices'

/** Where a refused fault or heal is said (the list of active faults shows it); `undefined` clears it. */
export const FaultReportContext = createContext<(problem: string | undefined) => void>(() => {})

/**
 * Runs a fault or heal through the store (so saves, links and lessons record it), and says why when the cluster
 * refuses it, as the app says of any refused change.
 */
export function useFaultRunner(): (action: FaultAction) => CommandResult {
  const store = useStoreApi()
  const report = useContext(FaultReportContext)
  return useCallback(
    (action: FaultAction) => {
      const r = safely(
        () => store.getState().dispatch(action) as CommandResult,
        () => store.setState({ state: store.getState().sim.state }),
      )
      report(r.ok ? undefined : failureText(r))
      return r
    },
    [store, report],
  )
}
