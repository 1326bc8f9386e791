// The page-load comparison's instrumentation (bench/embed.mjs inlines it first thing in
// <head>, the same in every variant): when each HubSpot script ran, when the first page-view
// beacon left, `analytics.ready()`, and long tasks (not buffered: observed from the start).
;(function () {
  var timeline = (window.__timeline = { marks: {}, longTasks: 0, longTaskMs: 0 })
  timeline.mark = function (name) {
    if (!(name in timeline.marks)) timeline.marks[name] = performance.now()
  }
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (entry) {
      timeline.longTasks += 1
      timeline.longTaskMs += entry.duration
    })
  }).observe({ type: 'longtask' })
  // A script's load event (after it ran) does not bubble, but the document sees it captured.
  document.addEventListener(
    'load',
    function (event) {
      var element = event.target
      if (!element || element.tagName !== 'SCRIPT') return
      if (element.id === 'hs-analytics') timeline.mark('trackerRan')
      else if (element.id === 'hs-script-loader') timeline.mark('loaderRan')
    },
    true,
  )
  // The first page view, from either shape of the stand-in: a recorded hit, or a beacon URL.
  window.addEventListener('hubspot-standin:hit', function (event) {
    if (event.detail && event.detail.kind === 'pageView') timeline.mark('beacon')
  })
  window.addEventListener('hubspot-standin:beacon', function (event) {
    if (event.detail && /__ptq\.gif\?(.*&)?k=1(&|$)/.test(event.detail.url)) timeline.mark('beacon')
  })
  window.analytics = { _cdn: location.origin }
})()
