// The CDN's utk file (dist/analytics-next-hubspot-utk.iife.min.js): adds `hubspotUtk`, with the
// js-cookie it reads HubSpot's cookie with, to window.AnalyticsNextHubSpot, so that the core
// file, which every visitor downloads, leaves both out.
export { hubspotUtk } from './utk'
