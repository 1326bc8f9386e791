/*
 * Local stand-in for HubSpot's tracking code (https://js.hs-scripts.com/{hubId}.js).
 *
 * It is served in place of the real script by the demo server and the e2e tests. It follows
 * HubSpot's documented behaviour of `_hsq` / `_hsp`, and instead of talking to HubSpot it
 * records every "hit" the real script would send:
 *   - in `window.__hubspotStandin.hits` (readable by the page and by tests),
 *   - as a `hubspot-standin:hit` CustomEvent on `window` (the demo's live panel),
 *   - as a JSON beacon to `/__hubspot/hits` (the local server keeps them in memory).
 *
 * Documented behaviour it reproduces (see HubSpot's tracking code API):
 *   - commands queued in `_hsq` before load are run, in order, when the script loads; then the
 *     automatic first page view is recorded (so a `trackPageView` queued before load counts
 *     the first view twice, and a `setPath` queued before load sets the first view's path);
 *   - once loaded, `_hsq.push` is no longer `Array.prototype.push` (the usual readiness test);
 *   - `identify` sends nothing by itself: the identity rides on the next page view or event;
 *   - `doNotTrack` / `revokeCookieConsent` stop collection.
 * It is also stricter than HubSpot in one way: anything it does not understand is recorded
 * as an `unknownCommand` hit, so a test sees typos and malformed commands.
 *
 * Plain ES2017, no modules, no dependencies, never throws on any input.
 */
;(function () {
  'use strict'

  // Loaded twice (two script tags, a retry...)? The first copy owns `_hsq`; do nothing.
  if (window.__hubspotStandin) return

  var HIT_EVENT = 'hubspot-standin:hit'
  var DNT_COOKIE = '__hs_do_not_track'
  var UTK_COOKIE = 'hubspotutk'
  var HUBSPOT_COOKIES = ['hubspotutk', '__hstc', '__hssc', '__hssrc']
  var SIX_MONTHS_S = 60 * 60 * 24 * 183

  // ---------------------------------------------------------------------------------------
  // Where we were loaded from: hub id and the collector URL.
  // ---------------------------------------------------------------------------------------

  var scriptSrc
  try {
    scriptSrc = (document.currentScript && document.currentScript.src) || ''
  } catch (e) {
    scriptSrc = ''
  }

  var scriptUrl = null
  try {
    scriptUrl = scriptSrc ? new URL(scriptSrc, location.href) : null
  } catch (e) {
    scriptUrl = null
  }

  function findHubId() {
    if (scriptUrl) {
      var segments = scriptUrl.pathname.split('/')
      var match = /^(\d+)\.js$/.exec(segments[segments.length - 1] || '')
      if (match) return match[1]
    }
    var fallback = window.__hubspotStandinHubId
    if (fallback !== undefined && fallback !== null && fallback !== '') return String(fallback)
    return null
  }

  // A test may route the real URL (https://js.hs-scripts.com/123.js) to this file: posting
  // back to HubSpot's host would go nowhere, so hits then go to the page's own origin.
  function isHubSpotHost(hostname) {
    return /(^|\.)(hs-scripts\.com|hs-analytics\.net|hubspot\.com|hubspot\.net)$/i.test(hostname)
  }

  function findCollector() {
    if (typeof window.__hubspotStandinCollector === 'string' && window.__hubspotStandinCollector) {
      return window.__hubspotStandinCollector
    }
    if (scriptUrl && /^https?:$/.test(scriptUrl.protocol) && !isHubSpotHost(scriptUrl.hostname)) {
      return scriptUrl.origin + '/__hubspot/hits'
    }
    return location.origin + '/__hubspot/hits'
  }

  var hubId = findHubId()
  var collector = findCollector()

  // ---------------------------------------------------------------------------------------
  // Cookies.
  // ---------------------------------------------------------------------------------------

  function readCookie(name) {
    try {
      var parts = document.cookie ? document.cookie.split(';') : []
      for (var i = 0; i < parts.length; i++) {
        var part = parts[i].replace(/^\s+/, '')
        if (part.indexOf(name + '=') === 0) return decodeURIComponent(part.slice(name.length + 1))
      }
    } catch (e) {
      /* unreadable cookies: treat as absent */
    }
    return null
  }

  function writeCookie(name, value, maxAgeSeconds) {
    try {
      document.cookie = name + '=' + encodeURIComponent(value) + '; path=/; max-age=' + maxAgeSeconds + '; SameSite=Lax'
    } catch (e) {
      /* cookies disabled */
    }
  }

  // HubSpot sets its cookies on the top-level domain, so delete host-only and every parent.
  function deleteCookie(name) {
    var expired = name + '=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT'
    try {
      document.cookie = expired
      var labels = location.hostname.split('.')
      for (var i = 0; i < labels.length - 1; i++) {
        document.cookie = expired + '; domain=.' + labels.slice(i).join('.')
      }
    } catch (e) {
      /* cookies disabled */
    }
  }

  function randomHex32() {
    var bytes = new Uint8Array(16)
    try {
      window.crypto.getRandomValues(bytes)
    } catch (e) {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
    }
    var hex = ''
    for (var j = 0; j < bytes.length; j++) hex += (bytes[j] < 16 ? '0' : '') + bytes[j].toString(16)
    return hex
  }

  // The visitor token: kept if present, created (like the real script) before the first hit.
  function ensureUtk() {
    var existing = readCookie(UTK_COOKIE)
    if (existing) return existing
    var utk = randomHex32()
    writeCookie(UTK_COOKIE, utk, SIX_MONTHS_S)
    return readCookie(UTK_COOKIE) || utk
  }

  // ---------------------------------------------------------------------------------------
  // Values: every hit is plain JSON, so the page's copy and the server's copy are identical
  // whatever the caller pushed (cycles, functions, Dates, undefined...).
  // ---------------------------------------------------------------------------------------

  function plain(value, seen, depth) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
    if (typeof value === 'number') return isFinite(value) ? value : null
    if (value === undefined) return undefined
    if (typeof value === 'function') return '[Function' + (value.name ? ': ' + value.name : '') + ']'
    if (typeof value === 'bigint' || typeof value === 'symbol') return String(value)
    if (depth > 20) return '[Too deep]'
    if (seen.indexOf(value) !== -1) return '[Circular]'
    try {
      if (typeof value.toJSON === 'function') return plain(value.toJSON(), seen, depth + 1)
      seen.push(value)
      var out
      if (Array.isArray(value)) {
        out = []
        for (var i = 0; i < value.length; i++) {
          var item = plain(value[i], seen, depth + 1)
          out.push(item === undefined ? null : item) // as JSON.stringify does
        }
      } else {
        out = {}
        var keys = Object.keys(value)
        for (var k = 0; k < keys.length; k++) {
          var v = plain(value[keys[k]], seen, depth + 1)
          if (v !== undefined) out[keys[k]] = v
        }
      }
      seen.pop()
      return out
    } catch (e) {
      return '[Unreadable]'
    }
  }

  function toPlain(value) {
    return plain(value, [], 0)
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value)
  }

  // ---------------------------------------------------------------------------------------
  // Tracker state.
  // ---------------------------------------------------------------------------------------

  var state = {
    path: null, // last setPath; null means "use location"
    identity: null, // props stored by identify, sent with the next page view / event
    doNotTrack: readCookie(DNT_COOKIE) === 'yes', // a visitor who opted out earlier stays out
    revoked: false, // revokeCookieConsent: nothing more until the page reloads
    seq: 0,
  }

  var standin = {
    hubId: hubId,
    hits: [],
    version: 'standin',
    collector: collector,
  }
  window.__hubspotStandin = standin

  function collecting() {
    return !state.doNotTrack && !state.revoked
  }

  function currentPath() {
    return state.path !== null ? state.path : location.pathname + location.search
  }

  function send(hit) {
    var body = JSON.stringify(hit)
    try {
      // A string body goes out as text/plain: a "simple" request, no CORS preflight.
      if (navigator.sendBeacon && navigator.sendBeacon(collector, body)) return
    } catch (e) {
      /* fall through to fetch */
    }
    try {
      if (typeof fetch === 'function') {
        var pending = fetch(collector, {
          method: 'POST',
          body: body,
          keepalive: true,
          headers: { 'content-type': 'text/plain;charset=UTF-8' },
        })
        if (pending && typeof pending.catch === 'function') pending.catch(function () {})
      }
    } catch (e) {
      /* no way to send: the page still has the hit */
    }
  }

  // `fields` are the kind-specific fields; `withIdentity` says whether the hit carries (and
  // consumes) the identity stored by identify.
  function record(kind, fields, withIdentity) {
    if (!collecting()) return null
    var utk = ensureUtk()
    var identity = null
    if (withIdentity) {
      identity = state.identity
      state.identity = null
    }
    state.seq += 1
    var hit = {
      seq: state.seq,
      kind: kind,
      hubId: hubId,
      path: currentPath(),
      title: String(document.title || ''),
      identity: identity,
    }
    var keys = Object.keys(fields)
    for (var i = 0; i < keys.length; i++) {
      if (fields[keys[i]] !== undefined) hit[keys[i]] = fields[keys[i]]
    }
    hit.utk = utk
    hit.url = location.href
    hit.at = Date.now()

    standin.hits.push(hit)
    send(hit)
    try {
      window.dispatchEvent(new CustomEvent(HIT_EVENT, { detail: hit }))
    } catch (e) {
      /* old browser without CustomEvent constructor: the hit is still recorded */
    }
    return hit
  }

  function unknown(command) {
    return record('unknownCommand', { command: toPlain(command) }, false)
  }

  // ---------------------------------------------------------------------------------------
  // _hsq commands.
  // ---------------------------------------------------------------------------------------

  var hsqCommands = {
    setPath: function (command) {
      if (typeof command[1] !== 'string') return unknown(command)
      state.path = command[1]
    },

    trackPageView: function () {
      record('pageView', {}, true)
    },

    identify: function (command) {
      if (!isObject(command[1])) return unknown(command)
      if (!collecting()) return // an opted-out visitor is not identified later either
      var props = toPlain(command[1])
      state.identity = Object.assign(state.identity || {}, isObject(props) ? props : {})
    },

    trackCustomBehavioralEvent: function (command) {
      var event = command[1]
      if (!isObject(event) || typeof event.name !== 'string') return unknown(command)
      record(
        'customEvent',
        { name: event.name, properties: isObject(event.properties) ? toPlain(event.properties) : {} },
        true,
      )
    },

    trackEvent: function (command) {
      var event = command[1]
      if (!isObject(event) || (typeof event.id !== 'string' && typeof event.id !== 'number')) {
        return unknown(command)
      }
      record('legacyEvent', { id: event.id, value: toPlain(event.value) }, true)
    },

    doNotTrack: function (command) {
      var options = command[1]
      if (isObject(options) && options.track === true) {
        deleteCookie(DNT_COOKIE)
        state.doNotTrack = false
      } else {
        writeCookie(DNT_COOKIE, 'yes', SIX_MONTHS_S)
        state.doNotTrack = true
        state.identity = null
      }
    },
  }

  // ---------------------------------------------------------------------------------------
  // _hsp (privacy) commands.
  // ---------------------------------------------------------------------------------------

  var consentListeners = []

  function consent() {
    var allowed = !state.revoked
    return {
      allowed: allowed,
      categories: { analytics: allowed, advertisement: allowed, functionality: allowed },
    }
  }

  function callListener(listener) {
    try {
      listener(consent())
    } catch (e) {
      /* a failing listener must not break the tracker */
    }
  }

  var hspCommands = {
    revokeCookieConsent: function () {
      for (var i = 0; i < HUBSPOT_COOKIES.length; i++) deleteCookie(HUBSPOT_COOKIES[i])
      state.revoked = true
      state.identity = null
      for (var j = 0; j < consentListeners.length; j++) callListener(consentListeners[j])
    },

    addPrivacyConsentListener: function (command) {
      if (typeof command[1] !== 'function') return unknown(command)
      consentListeners.push(command[1])
      callListener(command[1])
    },
  }

  // ---------------------------------------------------------------------------------------
  // Queue takeover.
  // ---------------------------------------------------------------------------------------

  function runner(handlers) {
    return function (command) {
      try {
        if (!Array.isArray(command) || typeof command[0] !== 'string') return unknown(command)
        var handler = Object.prototype.hasOwnProperty.call(handlers, command[0]) ? handlers[command[0]] : null
        if (!handler) return unknown(command)
        handler(command)
      } catch (e) {
        /* never throw into the caller */
      }
    }
  }

  // Replaces `window[name]` (an array of queued commands, or nothing) by an object whose push
  // runs commands at once, then replays what was queued, in order.
  function takeOver(name, run) {
    var queued = []
    try {
      var existing = window[name]
      if (Array.isArray(existing)) queued = existing.slice()
    } catch (e) {
      queued = []
    }
    var received = 0 // what push returns, as Array push returns the new length
    var queue = {
      push: function () {
        for (var i = 0; i < arguments.length; i++) {
          received += 1
          run(arguments[i])
        }
        return received
      },
    }
    try {
      window[name] = queue
    } catch (e) {
      /* non-writable global: nothing we can do */
    }
    queue.push.apply(queue, queued)
  }

  // Privacy first: a consent revocation queued before load must stop the queued hits too.
  takeOver('_hsp', runner(hspCommands))
  takeOver('_hsq', runner(hsqCommands))

  // As the real script: the automatic first page view comes after the replayed queue.
  try {
    record('pageView', {}, true)
  } catch (e) {
    /* never throw */
  }
})()
