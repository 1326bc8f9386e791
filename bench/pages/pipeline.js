// Three analytics-next instances on one page, so that every variant runs in the same
// renderer, heap and JIT state, and the bench can alternate between them batch by batch:
//   none          no destination at all
//   noop          a destination that does nothing (the baseline: the cost of having one)
//   hubspot       this plugin, with the HubSpot stand-in loaded (`_hsq` is live)
//   hubspot-sink  the same instance with `_hsq` swapped, for the time of the batch, for a
//                 live queue that only counts: the plugin's own cost without the
//                 stand-in's work per hit (HubSpot's part: a cookie read, a beacon...)
;(function () {
  var h = window.benchHelpers
  var f = window.benchFixtures
  var persist = !/[?&]persist=0/.test(location.search)
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
    none: h.load('bench-none', [], persist),
    noop: h.load('bench-noop', [noop], persist),
    hubspot: h.load(
      'bench-hubspot',
      [AnalyticsNextHubSpot.hubspot({ hubId: '123', scriptUrl: '/hubspot/123.js' })],
      persist,
    ),
  }

  var sinkCount = 0
  var sink = {
    push: function () {
      sinkCount += arguments.length
      return sinkCount
    },
  }

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

  window.benchPipeline = {
    // Once the Analytics instances are there and the stand-in has taken over _hsq (the
    // plugin requests hubspot.js with the first event: the page view here).
    ready: Promise.all(
      Object.keys(browsers).map(function (name) {
        return browsers[name].then(function (result) {
          instances[name] = result[0]
        })
      }),
    ).then(function () {
      instances.hubspot.page()
      return h.waitFor(h.hubspotLive)
    }),

    // `n` calls in batches of `batch`: a batch is issued at once and awaited as a whole
    // (every event delivered to every destination), then the next batch starts in a fresh
    // task. Returns milliseconds.
    run: async function (variant, method, n, batch) {
      var sinking = variant === 'hubspot-sink'
      var analytics = instances[sinking ? 'hubspot' : variant]
      var live = window._hsq
      if (sinking) window._hsq = sink
      var call = calls[method]
      var start = performance.now()
      try {
        for (var done = 0; done < n; done += batch) {
          var pending = []
          for (var i = 0; i < batch; i++) pending.push(call(analytics))
          await Promise.all(pending)
          await h.freshTask()
        }
        return performance.now() - start
      } finally {
        window._hsq = live
      }
    },

    stats: function () {
      return { hsqLive: h.hubspotLive(), sinkCommands: sinkCount, standinHits: window.__hubspotStandin.beacons.length }
    },
  }
})()
