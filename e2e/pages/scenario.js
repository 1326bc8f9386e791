// The test sets window.__e2e (settings, load options, extra plugins) before the page runs.
;(function () {
  var config = window.__e2e || {}
  var recorded = (window.__recorded = [])
  function record(ctx) {
    recorded.push(JSON.parse(JSON.stringify(ctx.event)))
    return ctx
  }
  // A second destination, standing for the site's other tools.
  var recorder = {
    name: 'Recorder',
    type: 'destination',
    version: '1.0.0',
    isLoaded: function () {
      return true
    },
    load: function () {
      return Promise.resolve()
    },
    track: record,
    identify: record,
    page: record,
    group: record,
  }
  var plugins = []
  if (config.utk) plugins.push(AnalyticsNextHubSpot.hubspotUtk())
  plugins.push(AnalyticsNextHubSpot.hubspot(Object.assign({ hubId: '1234567' }, config.settings)))
  plugins.push(recorder)
  var integrations = Object.assign({ 'Segment.io': false }, config.integrations)
  // The site's Segment dashboard may add its own HubSpot destination (config.cdnExtra).
  var extra = config.cdnExtra || {}
  var cdnSettings = Object.assign({}, extra, {
    integrations: Object.assign({ 'Segment.io': { apiKey: '' } }, extra.integrations),
    metrics: { sampleRate: 0 },
  })
  var options = { integrations: integrations }
  if (config.withoutDashboard) options.updateCDNSettings = AnalyticsNextHubSpot.withoutDashboardHubSpot
  window.__analytics = AnalyticsNext.AnalyticsBrowser.load(
    { writeKey: 'e2e', cdnSettings: cdnSettings, plugins: plugins },
    options,
  )
  if (config.initialPage !== false) window.__analytics.page()
})()
