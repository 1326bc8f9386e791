// What the bench pages share: how analytics-next is loaded offline, and a way to start a
// fresh task.
;(function () {
  // analytics-next hands every event to its destinations in a setTimeout(0). Awaited one
  // after the other, those timers nest and Chromium clamps nested timers to 4 ms: a bench
  // would measure the clamp, not the work. A message-channel hop starts a task with no
  // timer nesting, so the next batch runs at the speed of its work.
  var channel = new MessageChannel()
  var waiting = []
  channel.port1.onmessage = function () {
    waiting.shift()()
  }

  window.benchHelpers = {
    freshTask: function () {
      return new Promise(function (resolve) {
        waiting.push(resolve)
        channel.port2.postMessage(0)
      })
    },

    // Offline: no settings fetch, no upload to Segment, no metrics. `persist: false` keeps
    // user ids and traits in memory instead of cookies and localStorage.
    load: function (writeKey, plugins, persist) {
      var options = { integrations: { 'Segment.io': false } }
      if (persist === false) options.disableClientPersistence = true
      return AnalyticsNext.AnalyticsBrowser.load(
        {
          writeKey: writeKey,
          cdnSettings: { integrations: { 'Segment.io': { apiKey: '' } }, metrics: { sampleRate: 0 } },
          plugins: plugins,
        },
        options,
      )
    },

    hubspotLive: function () {
      return !!window._hsq && window._hsq.push !== Array.prototype.push
    },

    waitFor: function (condition) {
      return new Promise(function (resolve) {
        ;(function poll() {
          condition() ? resolve() : setTimeout(poll, 10)
        })()
      })
    },
  }
})()
