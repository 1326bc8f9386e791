// A site that bundles analytics-next, the plugin and (when the test asks) Segment's consent
// wrapper with a fake consent manager. The test sets window.__e2e before the page runs.
import { AnalyticsBrowser } from '@segment/analytics-next'
import { createWrapper } from '@segment/analytics-consent-tools'
import { hubspot } from 'analytics-next-hubspot'

const config = window.__e2e || {}
const recorded = (window.__recorded = [])
const record = (ctx) => {
  recorded.push(JSON.parse(JSON.stringify(ctx.event)))
  return ctx
}
const recorder = {
  name: 'Recorder',
  type: 'destination',
  version: '1.0.0',
  isLoaded: () => true,
  load: async () => {},
  track: record,
  identify: record,
  page: record,
}

const analytics = new AnalyticsBrowser()
if (config.consent) {
  const listeners = []
  window.__consent = { ...config.consent }
  window.__setConsent = (categories) => {
    Object.assign(window.__consent, categories)
    for (const listener of listeners) listener({ ...window.__consent })
  }
  createWrapper({
    getCategories: async () => ({ ...window.__consent }),
    registerOnConsentChanged: (listener) => listeners.push(listener),
  })(analytics)
}
window.__analytics = analytics
analytics.load(
  {
    writeKey: 'e2e',
    cdnSettings: { integrations: { 'Segment.io': { apiKey: '' } }, metrics: { sampleRate: 0 } },
    plugins: [(window.__hubspot = hubspot({ hubId: '1234567', ...config.settings })), recorder],
  },
  { integrations: { 'Segment.io': false } },
)
analytics.page()
