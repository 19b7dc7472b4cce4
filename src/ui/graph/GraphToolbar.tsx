import { useReactFlow } from '@xyflow/react'

const Icon = ({ d }: { d: string }) => (
  <svg viewBox="0 0 32 32" aria-hidden="true">
    <path d={d} fill="none" stroke="currentColor" strokeWidth="3" strokeLinejoin="round" strokeLinecap="round" />
  </svg>
)

/**
 * The graph's view buttons, in a column beside it rather than over it (over it they hid the cards under them): zoom
 * in and out, fit the whole cluster (at a legible size), and the overview map when the cluster is larger than the view.
 */
export function GraphToolbar({ onZoom, onHome, overview, onOverview, canOverview }: { onZoom: () => void; onHome: () => void; overview: boolean; onOverview: () => void; canOverview: boolean }) {
  const flow = useReactFlow()
  return (
    <div className="graph-toolbar" role="toolbar" aria-label="Graph view" aria-orientation="vertical">
      <button type="button" aria-label="Zoom In" title="Zoom in" onClick={() => (onZoom(), void flow.zoomIn({ duration: 150 }))}>
        <Icon d="M16 6v20M6 16h20" />
      </button>
      <button type="button" aria-label="Zoom Out" title="Zoom out" onClick={() => (onZoom(), void flow.zoomOut({ duration: 150 }))}>
        <Icon d="M6 16h20" />
      </button>
      <button type="button" aria-label="Fit View" title="Fit View: the whole cluster, or as much as fits at a legible size" onClick={onHome}>
        <Icon d="M4 11V4h7M21 4h7v7M28 21v7h-7M11 28H4v-7" />
      </button>
      {canOverview ? (
        <button type="button" aria-label="Overview map" aria-pressed={overview} title={overview ? 'Hide the overview map' : 'Show an overview map of the whole cluster'} onClick={onOverview}>
          <Icon d="M3 7l8-3 10 3 8-3v21l-8 3-10-3-8 3zM11 4v21M21 7v21" />
        </button>
      ) : null}
    </div>
  )
}
