// Three analytics-next instances on one page, so every variant runs in the same renderer,
// heap and JIT state, and the bench can alternate between them call after call:
//   none    no destination at all
//   noop    a destination that does nothing (the baseline: the pipeline's cost of having one)
//   hubspot this plugin, with the HubSpot stand-in loaded (`_hsq` is live)
// `hubspot-sink` is the same instance with `_hsq` swapped for a live queue that only
// counts, to tell the plugin's own cost from the stand-in's (HubSpot's) work per hit.
;(function () {
  var settings = {
    cdnSettings: { integrations: { 'Segment.io': { apiKey: '' } }, metrics: { sampleRate: 0 } },
  }
  var options = { integrations: { 'Segment.io': false } }
  var load = function (writeKey, plugins) {
    return AnalyticsNext.AnalyticsBrowser.load(Object.assign({ writeKey: writeKey, plugins: plugins }, settings), options)
  }
  var pass = function (ctx) {
    return ctx
  }
  var noop = {
    name: 'Noop',
    type: 'destination',
    version: '1.0.0',
    isLoaded: function () {
      return true
    },
    load: function () {
      return Promise.resolve()
    },
    track: pass,
    identify: pass,
    page: pass,
  }

  var browsers = {
    none: load('bench-none', []),
    noop: load('bench-noop', [noop]),
    hubspot: load('bench-hubspot', [AnalyticsNextHubSpot.hubspot({ hubId: '123', scriptUrl: '/hubspot/123.js' })]),
  }

  var sinkCount = 0
  var sink = {
    push: function () {
      sinkCount += arguments.length
      return sinkCount
    },
  }

  var f = window.benchFixtures
  var calls = {
    track: function (a) {
      return a.track('Order Completed', f.trackProperties)
    },
    identify: function (a) {
      return a.identify('user-1815', f.traits)
    },
    page: function (a) {
      return a.page()
    },
  }

  var instances = {}
  var hubspotLive = function () {
    return !!window._hsq && window._hsq.push !== Array.prototype.push
  }

  window.benchPipeline = {
    // Resolves with the real Analytics instances, once the stand-in has taken over _hsq.
    ready: Promise.all(
      Object.keys(browsers).map(function (name) {
        return browsers[name].then(function (result) {
          instances[name] = result[0]
        })
      }),
    ).then(function () {
      return new Promise(function (resolve) {
        ;(function poll() {
          hubspotLive() ? resolve() : setTimeout(poll, 10)
        })()
      })
    }),

    // `n` calls, each awaited before the next (sequential): the time of one event's whole
    // trip through analytics-next, with nothing overlapping. Returns milliseconds.
    run: async function (variant, method, n) {
      var sinking = variant === 'hubspot-sink'
      var analytics = instances[sinking ? 'hubspot' : variant]
      var live = window._hsq
      if (sinking) window._hsq = sink
      var call = calls[method]
      var start = performance.now()
      try {
        for (var i = 0; i < n; i++) await call(analytics)
        return performance.now() - start
      } finally {
        window._hsq = live
      }
    },

    stats: function () {
      return { hsqLive: hubspotLive(), sinkCommands: sinkCount, standinHits: window.__hubspotStandin.hits.length }
    },
  }
})()
