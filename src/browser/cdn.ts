// The CDN file (dist/analytics-next-hubspot.iife.min.js): the package's exports as
// window.AnalyticsNextHubSpot, but hubspotForms and hubspotUtk (in CDN files of their own,
// cdn-forms.ts and cdn-utk.ts), and, since it runs in the page right after the Segment
// snippet, a `register` for the snippet 4.x stub.
import { completeSnippet } from './snippet'

// From each module, not from index.ts: that one imports utk.ts, and js-cookie would come along.
export { hubspot } from './plugin'
export { withoutDashboardHubSpot } from '../core/device/dashboard'
export { VERSION } from '../core/version'
export { HubSpotSettingsError } from '../core/errors'

if (typeof window !== 'undefined') completeSnippet(window as { analytics?: unknown })
