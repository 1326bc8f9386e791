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
  window.__analytics = AnalyticsNext.AnalyticsBrowser.load(
    {
      writeKey: 'e2e',
      cdnSettings: { integrations: { 'Segment.io': { apiKey: '' } }, metrics: { sampleRate: 0 } },
      plugins: plugins,
    },
    { integrations: integrations },
  )
  if (config.initialPage !== false) window.__analytics.page()
})()
