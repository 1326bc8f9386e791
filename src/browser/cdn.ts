// The CDN file (dist/analytics-next-hubspot.iife.min.js): the package's exports as
// window.AnalyticsNextHubSpot, but hubspotForms (in its own CDN file, cdn-forms.ts), and, since
// it runs in the page right after the Segment snippet, a `register` for the snippet 4.x stub.
import { completeSnippet } from './snippet'

export { hubspot, hubspotUtk, withoutDashboardHubSpot, VERSION, HubSpotSettingsError } from './index'

if (typeof window !== 'undefined') completeSnippet(window as { analytics?: unknown })
