import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'

/** What a control that would change the cluster says while the past is shown (its title, or beside it). */
export const CONTINUE_FIRST = 'The cluster is shown as it was: choose "Continue from here" first to change it'

const selectPast = (s: SimulationStore) => s.viewAt !== undefined

/** Whether the page shows a past moment (changes are refused there until "Continue from here"). */
export function useViewingPast(): boolean {
  return useSim(selectPast)
}
