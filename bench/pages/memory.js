// One analytics-next instance, with this plugin (?plugin=1) or without any destination.
// The bench holds the request for /hubspot/123.js forever: hubspot.js never arrives.
// User ids live in memory (no cookies): analytics-next then runs several times faster,
// which makes 100,000 events affordable, and the plugin's memory does not depend on it.
;(function () {
  var h = window.benchHelpers
  var f = window.benchFixtures
  var withPlugin = /[?&]plugin=1/.test(location.search)
  var plugins = withPlugin ? [AnalyticsNextHubSpot.hubspot({ hubId: '123', scriptUrl: '/hubspot/123.js' })] : []
  var analytics

  window.benchMemory = {
    ready: h.load('bench-memory', plugins, false).then(function (result) {
      analytics = result[0]
      // The first event, which makes the plugin request hubspot.js (held forever).
      return analytics.page()
    }),

    run: async function (n, batch) {
      for (var done = 0; done < n; done += batch) {
        var pending = []
        for (var i = 0; i < batch; i++) pending.push(analytics.track('Order Completed', f.trackProperties))
        await Promise.all(pending)
        await h.freshTask()
      }
    },

    stats: function () {
      var q = window._hsq
      return { hsqLength: q && Array.isArray(q) ? q.length : null, hubspotLive: h.hubspotLive() }
    },
  }
})()
