// The CDN's forms file (dist/analytics-next-hubspot-forms.iife.min.js): adds `hubspotForms` to
// window.AnalyticsNextHubSpot, so that the core file, which every visitor downloads, leaves it out.
export { hubspotForms } from './forms'
