// The CDN file (dist/analytics-next-hubspot.iife.min.js): the package's exports as
// window.AnalyticsNextHubSpot, and, since it runs in the page right after the Segment
// snippet, a `register` for the snippet 4.x stub that lacks one.
import { completeSnippet } from './snippet'

export * from './index'

if (typeof window !== 'undefined') completeSnippet(window as { analytics?: unknown })
