import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './ui/App'
import { ErrorBoundary } from './ui/ErrorBoundary'
import './ui/app.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary part="The simulator">
      <App />
    </ErrorBoundary>
  </StrictMode>,
)
