// A stand-in for Segment's classic HubSpot destination bundle, as analytics-next loads it
// from {cdn}/next-integrations/integrations/hubspot/{version}/hubspot.dynamic.js.gz: it
// defines window.hubspotDeps and window.hubspotLoader, which defines window.hubspotIntegration,
// an analytics.js integration class. Like the real one, it loads HubSpot's tracker from
// js.hs-analytics.net/analytics/{cacheBuster}/{portalId}.js and pushes _hsq commands: the
// first page call is the tracker's own view, later ones trackPageView; identify with an
// email; every track a legacy trackEvent.
;(function () {
  'use strict'

  function HubSpot(settings) {
    this.options = settings || {}
    this.listeners = {}
    this.pageCalled = false
  }
  HubSpot.prototype.name = 'HubSpot'
  // The tracker records a page view by itself: analytics-next initializes it on the first page call.
  HubSpot.prototype._assumesPageview = true

  HubSpot.prototype.on = function (event, listener) {
    ;(this.listeners[event] = this.listeners[event] || []).push({ listener: listener, once: false })
  }
  HubSpot.prototype.once = function (event, listener) {
    ;(this.listeners[event] = this.listeners[event] || []).push({ listener: listener, once: true })
  }
  HubSpot.prototype.emit = function (event) {
    var entries = this.listeners[event] || []
    this.listeners[event] = entries.filter(function (entry) {
      return !entry.once
    })
    entries.forEach(function (entry) {
      entry.listener()
    })
  }

  HubSpot.prototype.initialize = function () {
    var self = this
    window._hsq = window._hsq || []
    var cacheBuster = Math.ceil(Date.now() / 300000) * 300000
    var script = document.createElement('script')
    script.id = 'hs-analytics'
    script.async = true
    script.src = 'https://js.hs-analytics.net/analytics/' + cacheBuster + '/' + this.options.portalId + '.js'
    script.onload = function () {
      self.emit('ready')
    }
    document.head.appendChild(script)
    this.emit('initialize')
  }

  HubSpot.prototype.invoke = function (method, facade) {
    if (typeof this[method] === 'function') return this[method](facade)
  }

  HubSpot.prototype.page = function () {
    if (!this.pageCalled) {
      this.pageCalled = true
      return
    }
    window._hsq.push(['trackPageView'])
  }

  HubSpot.prototype.identify = function (identify) {
    var traits = identify.traits()
    if (!traits.email) return
    window._hsq.push(['identify', traits])
  }

  HubSpot.prototype.track = function (track) {
    window._hsq.push(['trackEvent', { id: track.event(), value: track.revenue() }])
  }

  window.hubspotDeps = []
  window.hubspotLoader = function () {
    window.hubspotIntegration = HubSpot
  }
})()
