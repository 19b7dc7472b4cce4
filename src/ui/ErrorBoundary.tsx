import { Component, type ErrorInfo, type ReactNode } from 'react'
import { userMessage } from './userMessage'

interface Props {
  /** What this part of the page is, as a sentence starts: "The cluster graph". */
  readonly part: string
  readonly children: ReactNode
}

/**
 * Keeps one part of the page from taking the others down with it: a component that throws is replaced by a note
 * saying which part stopped and why (in words, not a JavaScript error), with a button to draw it again. The cluster
 * lives outside every part, so it keeps running and being saved whatever the note says.
 */
export class ErrorBoundary extends Component<Props, { error?: unknown }> {
  override state: { error?: unknown } = {}

  static getDerivedStateFromError(error: unknown) {
    return { error }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack)
  }

  override render() {
    if (this.state.error === undefined) return this.props.children
    return (
      <div className="part-failed" role="alert">
        <p>
          {this.props.part} stopped working: {userMessage(this.state.error)}. Your cluster is kept: it keeps running and is saved as before.
        </p>
        <button type="button" onClick={() => this.setState({ error: undefined })}>
          Try again
        </button>
      </div>
    )
  }
}
