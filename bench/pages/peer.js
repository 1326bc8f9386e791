// Both plugins' handlers called directly, each with what its host library passes, on the
// same page and the same `_hsq`: the stand-in's live queue, or (sink) a live queue that
// only counts, to see each plugin's own work apart from HubSpot's.
;(function () {
  var h = window.benchHelpers
  var f = window.benchFixtures
  var e = f.events

  // Ours: an analytics-next destination gets a Context; the handlers read ctx.event only.
  var ours = AnalyticsNextHubSpot.hubspot({ hubId: '123', scriptUrl: '/hubspot/123.js' })
  var oursCtx = { track: { event: e.track }, identify: { event: e.identify }, page: { event: e.page } }

  // The peer: a plugin of the `analytics` package gets { payload, config, instance }, the
  // payload shaped as that package builds it.
  var peer = window.analyticsHubspot({ portalId: '123' })
  var instance = {
    user: function () {
      return { userId: e.track.userId, anonymousId: e.track.anonymousId }
    },
  }
  var meta = { rid: '1b7a3d8e-6e0f-4b7c-9c2e-3b1c5d7e9f01', ts: 1700000000000, hasCallback: false }
  var ids = { userId: e.track.userId, anonymousId: e.track.anonymousId, options: {}, meta: meta }
  var payload = function (fields) {
    return { payload: Object.assign({}, ids, fields), config: peer.config, instance: instance }
  }
  var peerArgs = {
    track: payload({ type: 'track', event: e.track.event, properties: f.trackProperties }),
    identify: payload({ type: 'identify', traits: f.traits }),
    page: payload({
      type: 'page',
      properties: {
        title: 'Order complete',
        url: e.page.properties.url,
        path: '/checkout/complete',
        hash: '',
        search: '?step=3',
        width: 1280,
        height: 720,
        referrer: e.page.properties.referrer,
      },
    }),
  }

  var sink = {
    push: function () {
      return arguments.length
    },
  }

  window.benchPeer = {
    // The stand-in comes with our first event (as in a site); the peer's initialize() is
    // not called: hubspot.js is already there, which is where it would stop too.
    ready: Promise.resolve(
      ours.load(
        {},
        {
          user: function () {
            return {
              traits: function () {
                return {}
              },
            }
          },
          integrations: {},
        },
      ),
    )
      .then(function () {
        ours.page(oursCtx.page)
        return h.waitFor(h.hubspotLive)
      })
      .then(function () {
        peer.page(peerArgs.page) // the peer skips its first page call (hubspot.js counts that view)
      }),

    // `n` calls of one handler, back to back. Returns milliseconds.
    run: function (who, method, n, sinking) {
      var live = window._hsq
      if (sinking) window._hsq = sink
      var handler = who === 'ours' ? ours[method] : peer[method]
      var arg = who === 'ours' ? oursCtx[method] : peerArgs[method]
      var start = performance.now()
      try {
        for (var i = 0; i < n; i++) handler(arg)
        return performance.now() - start
      } finally {
        window._hsq = live
      }
    },
  }
})()
