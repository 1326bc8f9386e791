/*
 * Local stand-in for HubSpot's tracking code (https://js.hs-scripts.com/{hubId}.js).
 *
 * A model of what HubSpot's own script was observed to do (REFERENCE.md, "HubSpot's tracker
 * as observed": its build 1.398, and a 2023 build where they differ), not of what we would
 * like it to do. Served in place of the real script by the demo server and the e2e tests.
 *
 *   - `_hsq` and `_hsp` stay the arrays the page made; only their `push` is replaced.
 *   - Like the real build file, it queues its own automatic `trackPageView` at the end of
 *     `_hsq`; the queue runs once the document has finished loading (at once if it has).
 *     Build 1.398 first applies every queued `setPath` and `identify`, then the rest in
 *     order; the 2023 build also applies `doNotTrack` first, then every queued
 *     `trackPageView`, then the rest. A function in the queue is called at its own place,
 *     and while it runs `_hsq.push` runs commands at once.
 *   - Beacons are image GETs to https://track.hubspot.com (track-eu1.hubspot.com for EU):
 *     `__ptq.gif` for page views (k=1), legacy events (k=3, n=id, m=value) and the consent
 *     revocation (k=30, rv=1); `__ptbe.gif` for custom behavioral events (n=name,
 *     `_<property>=<value>`). Every value is written as text and falsy values are empty.
 *     Parameters: a (hub), po (setPath), rpo (previous path), pu (URL), t (title),
 *     vi (visitor id = hubspotutk), u (__hstc), b (__hssc), i (identity), cts (time, ms).
 *     An identical URL (same hit in the same millisecond) reaches the network once.
 *   - `identify` sends nothing; the identity rides on every later hit of the page.
 *   - Cookies (hubspotutk, __hstc: 390 days; __hssc: 30 minutes; __hssrc: session) are
 *     written only once the cookie-banner part has handled `_hsp`; a tracker that runs
 *     before it sends its first beacons without u and b.
 *   - `doNotTrack` sets `__hs_do_not_track=yes` and stops every beacon; `{ track: true }`
 *     resumes. `_hsp` `revokeCookieConsent` sends one k=30 beacon, removes the cookies and
 *     goes on cookieless with a new visitor id.
 *
 * Knobs, read when it loads (a window global, else a query parameter of its own URL):
 *   __hubspotStandinBuild  / ?build=   '1.398' (default) or '2023'
 *   __hubspotStandinBanner / ?banner=  'first' (default: the banner has run) or 'late'
 *   __hubspotStandinCollector          origin that receives the beacons instead of HubSpot's
 *                                      host (as {origin}/__hubspot/{host}/__ptq.gif)
 * Served from a local (non-HubSpot) origin, beacons go to that origin the same way.
 *
 * Stricter than HubSpot in one way: a command it does not know is a console.error (and is
 * listed in `__hubspotStandin.unknown`), so tests see typos and malformed commands.
 * `window.__hubspotStandin.beacons` lists every beacon URL that reached the network, and each
 * one is also dispatched as a `hubspot-standin:beacon` event ({ detail: { url } }).
 *
 * Plain ES2017, no modules, no dependencies, never throws into the page.
 */
;(function () {
  'use strict'

  // Loaded twice (two tags, a retry...)? The first copy owns the queues; do nothing.
  if (window.__hubspotStandin) return

  var BEACON_EVENT = 'hubspot-standin:beacon'
  var DNT_COOKIE = '__hs_do_not_track'
  var VISITOR_COOKIES = ['hubspotutk', '__hstc', '__hssc', '__hssrc']
  var VISITOR_MAX_AGE_S = 390 * 24 * 60 * 60
  var SESSION_MAX_AGE_S = 30 * 60
  var HUBSPOT_HOST = /(^|\.)(hs-scripts\.com|hs-analytics\.net|hubspot\.com|hubspot\.net)$/i

  // ---------------------------------------------------------------------------------------
  // Where it was loaded from, and its knobs.
  // ---------------------------------------------------------------------------------------

  var scriptUrl = null
  try {
    var src = document.currentScript && document.currentScript.src
    scriptUrl = src ? new URL(src, location.href) : null
  } catch (e) {
    scriptUrl = null
  }

  function knob(globalName, param, fallback) {
    var value = window[globalName]
    if (typeof value === 'string' && value) return value
    var fromUrl = scriptUrl && scriptUrl.searchParams.get(param)
    return fromUrl || fallback
  }

  function findHubId() {
    var match = scriptUrl && /(\d+)\.js$/.exec(scriptUrl.pathname)
    if (match) return match[1]
    var fallback = window.__hubspotStandinHubId
    return fallback !== undefined && fallback !== null && fallback !== '' ? String(fallback) : null
  }

  var hubId = findHubId()
  var build = knob('__hubspotStandinBuild', 'build', '1.398') === '2023' ? '2023' : '1.398'
  var lateBanner = knob('__hubspotStandinBanner', 'banner', 'first') === 'late'
  var eu = !!scriptUrl && /(^|\.)js-eu1\./.test(scriptUrl.hostname)
  var trackHost =
    eu || knob('__hubspotStandinRegion', 'region', 'na1') === 'eu1' ? 'track-eu1.hubspot.com' : 'track.hubspot.com'

  function findBeaconBase() {
    var collector = window.__hubspotStandinCollector
    if (typeof collector === 'string' && collector) return collector.replace(/\/+$/, '') + '/__hubspot/' + trackHost
    if (scriptUrl && /^https?:$/.test(scriptUrl.protocol) && !HUBSPOT_HOST.test(scriptUrl.hostname)) {
      return scriptUrl.origin + '/__hubspot/' + trackHost
    }
    return 'https://' + trackHost
  }
  var beaconBase = findBeaconBase()

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

  // maxAge null: a session cookie.
  function writeCookie(name, value, maxAgeSeconds) {
    try {
      document.cookie =
        name +
        '=' +
        encodeURIComponent(value) +
        '; path=/' +
        (maxAgeSeconds === null ? '' : '; max-age=' + maxAgeSeconds) +
        '; SameSite=Lax'
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
      for (var i = 0; i < labels.length - 1; i++) document.cookie = expired + '; domain=.' + labels.slice(i).join('.')
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

  // HubSpot's cookies start with a number standing for the domain.
  function domainHash(host) {
    var hash = 0
    for (var i = 0; i < host.length; i++) hash = (hash * 31 + host.charCodeAt(i)) >>> 0
    return String(hash)
  }

  // ---------------------------------------------------------------------------------------
  // Tracker state.
  // ---------------------------------------------------------------------------------------

  var existingUtk = readCookie('hubspotutk')
  var previousVisit = /^(\d+)\.[0-9a-f]{32}\.(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(readCookie('__hstc') || '')
  var startedAt = Date.now()
  var sameSession = /^\d+\.\d+\.\d+$/.test(readCookie('__hssc') || '')

  var state = {
    processed: false, // the queue has run: push runs commands at once
    draining: false, // the queue is running (a queued function pushes: run at once)
    pending: [], // pushed after takeover, before the document finished loading
    path: null, // last setPath applied; null: the location
    lastViewPath: null, // path of the previous page view
    identity: null, // merged identify properties: ride on every later hit
    doNotTrack: readCookie(DNT_COOKIE) === 'yes',
    bannerDone: false, // the cookie banner has handled _hsp: cookies may be written
    cookieless: false, // after revokeCookieConsent
    vi: existingUtk && /^[0-9a-f]{32}$/.test(existingUtk) ? existingUtk : randomHex32(),
    domain: domainHash(location.hostname),
    first: previousVisit ? Number(previousVisit[2]) : startedAt,
    last: previousVisit ? Number(previousVisit[4]) : startedAt,
    session: previousVisit ? Number(previousVisit[5]) + (sameSession ? 0 : 1) : 1,
    views: sameSession ? Number(String(readCookie('__hssc')).split('.')[1]) : 0,
    newSession: !sameSession,
    sent: Object.create(null), // beacon URLs already on the network
  }

  var standin = {
    hubId: hubId,
    build: build,
    version: 'standin',
    beacons: [],
    duplicates: [],
    unknown: [],
  }
  window.__hubspotStandin = standin

  function cookiesOn() {
    return state.bannerDone && !state.cookieless && !state.doNotTrack
  }

  function hstc() {
    return [state.domain, state.vi, state.first, state.last, startedAt, state.session].join('.')
  }

  function hssc() {
    return [state.domain, state.views, startedAt].join('.')
  }

  function writeVisitorCookies() {
    if (!cookiesOn()) return
    writeCookie('hubspotutk', state.vi, VISITOR_MAX_AGE_S)
    writeCookie('__hstc', hstc(), VISITOR_MAX_AGE_S)
    writeCookie('__hssc', hssc(), SESSION_MAX_AGE_S)
    if (state.newSession) writeCookie('__hssrc', '1', null)
  }

  function currentPath() {
    return state.path !== null ? state.path : location.pathname + location.search
  }

  // ---------------------------------------------------------------------------------------
  // Beacons.
  // ---------------------------------------------------------------------------------------

  // What HubSpot writes into its URLs: text, and falsy values empty (0 and false included).
  function text(value) {
    return value ? String(value) : ''
  }

  function pair(key, value) {
    return encodeURIComponent(key) + '=' + encodeURIComponent(text(value))
  }

  function identityText() {
    var keys = Object.keys(state.identity)
    var parts = []
    for (var i = 0; i < keys.length; i++) parts.push(pair(keys[i], state.identity[keys[i]]))
    return parts.join('&')
  }

  var inFlight = []

  function transmit(url) {
    if (state.sent[url]) {
      standin.duplicates.push(url)
      return
    }
    state.sent[url] = true
    standin.beacons.push(url)
    try {
      var image = new Image(1, 1)
      // Kept until answered, so that the request is not dropped with the element.
      inFlight.push(image)
      image.onload = image.onerror = function () {
        inFlight.splice(inFlight.indexOf(image), 1)
      }
      image.src = url
    } catch (e) {
      /* no images: the URL is still listed */
    }
    try {
      window.dispatchEvent(new CustomEvent(BEACON_EVENT, { detail: { url: url } }))
    } catch (e) {
      /* no CustomEvent constructor */
    }
  }

  // `head`: the kind-specific parameters; `tail`: the event's properties.
  function beacon(file, head, tail) {
    if (state.doNotTrack) return
    var parts = [pair('a', hubId)]
    for (var i = 0; i < head.length; i++) parts.push(pair(head[i][0], head[i][1]))
    if (state.path !== null) parts.push(pair('po', state.path))
    parts.push(pair('pu', location.href), pair('t', document.title), pair('vi', state.vi))
    if (cookiesOn()) parts.push(pair('u', hstc()), pair('b', hssc()))
    if (state.identity) parts.push(pair('i', identityText()))
    for (var j = 0; j < (tail || []).length; j++) parts.push(pair(tail[j][0], tail[j][1]))
    parts.push(pair('cts', Date.now()))
    transmit(beaconBase + '/' + file + '?' + parts.join('&'))
  }

  // ---------------------------------------------------------------------------------------
  // _hsq commands.
  // ---------------------------------------------------------------------------------------

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value)
  }

  function unknown(queue, command) {
    standin.unknown.push(command)
    try {
      console.error('[HubSpot stand-in] unknown ' + queue + ' command:', command)
    } catch (e) {
      /* no console */
    }
  }

  var hsqCommands = {
    setPath: function (command) {
      if (typeof command[1] !== 'string') return false
      state.path = command[1]
    },

    trackPageView: function () {
      if (state.doNotTrack) return
      var path = currentPath()
      var head = [['k', 1]]
      if (state.lastViewPath !== null && state.lastViewPath !== path) head.push(['rpo', state.lastViewPath])
      state.lastViewPath = path
      state.views += 1
      state.last = Date.now()
      writeVisitorCookies()
      beacon('__ptq.gif', head)
    },

    identify: function (command) {
      if (!isObject(command[1])) return false
      state.identity = state.identity || {}
      var keys = Object.keys(command[1])
      for (var i = 0; i < keys.length; i++) state.identity[keys[i]] = command[1][keys[i]]
    },

    trackCustomBehavioralEvent: function (command) {
      var event = command[1]
      if (!isObject(event) || typeof event.name !== 'string') return false
      var properties = isObject(event.properties) ? event.properties : {}
      var tail = Object.keys(properties).map(function (key) {
        return ['_' + key, properties[key]]
      })
      beacon('__ptbe.gif', [['n', event.name]], tail)
    },

    trackEvent: function (command) {
      var event = command[1]
      if (!isObject(event) || (typeof event.id !== 'string' && typeof event.id !== 'number')) return false
      beacon('__ptq.gif', [
        ['k', 3],
        ['n', event.id],
        ['m', event.value],
      ])
    },

    doNotTrack: function (command) {
      if (isObject(command[1]) && command[1].track === true) {
        deleteCookie(DNT_COOKIE)
        state.doNotTrack = false
        writeVisitorCookies()
      } else {
        writeCookie(DNT_COOKIE, 'yes', VISITOR_MAX_AGE_S)
        state.doNotTrack = true
      }
    },
  }

  // A function is called (at its place); a command goes to its handler; anything else is unknown.
  function runner(queue, handlers) {
    return function (command) {
      try {
        if (queue === '_hsq' && typeof command === 'function') return void command()
        var known =
          Array.isArray(command) &&
          typeof command[0] === 'string' &&
          Object.prototype.hasOwnProperty.call(handlers, command[0])
        if (!known || handlers[command[0]](command) === false) unknown(queue, command)
      } catch (e) {
        /* a failing command or function must not break the tracker */
      }
    }
  }

  var runHsq = runner('_hsq', hsqCommands)

  // The order the queue runs in when the tracker starts.
  function startOrder(items) {
    var first = []
    var views = []
    var rest = []
    for (var i = 0; i < items.length; i++) {
      var name = Array.isArray(items[i]) ? items[i][0] : null
      if (name === 'setPath' || name === 'identify' || (build === '2023' && name === 'doNotTrack')) first.push(items[i])
      else if (build === '2023' && name === 'trackPageView') views.push(items[i])
      else rest.push(items[i])
    }
    return first.concat(views, rest)
  }

  // ---------------------------------------------------------------------------------------
  // _hsp: handled by HubSpot's cookie-banner part.
  // ---------------------------------------------------------------------------------------

  var listeners = []

  function consent() {
    var allowed = !state.cookieless
    return { allowed: allowed, categories: { analytics: allowed, advertisement: allowed, functionality: allowed } }
  }

  function tell(listener) {
    try {
      listener(consent())
    } catch (e) {
      /* a failing listener must not break the tracker */
    }
  }

  var hspCommands = {
    revokeCookieConsent: function () {
      beacon('__ptq.gif', [
        ['k', 30],
        ['rv', 1],
      ])
      for (var i = 0; i < VISITOR_COOKIES.length; i++) deleteCookie(VISITOR_COOKIES[i])
      state.cookieless = true
      state.vi = randomHex32()
      for (var j = 0; j < listeners.length; j++) tell(listeners[j])
    },

    addPrivacyConsentListener: function (command) {
      if (typeof command[1] !== 'function') return false
      listeners.push(command[1])
      tell(command[1])
    },
  }

  var runHsp = runner('_hsp', hspCommands)

  // ---------------------------------------------------------------------------------------
  // Taking over the queues.
  // ---------------------------------------------------------------------------------------

  function queueOf(name) {
    var existing = window[name]
    if (Array.isArray(existing)) return existing
    var created = []
    window[name] = created
    return created
  }

  function runBanner() {
    var hsp = queueOf('_hsp')
    var queued = hsp.slice()
    hsp.push = function () {
      for (var i = 0; i < arguments.length; i++) runHsp(arguments[i])
      return hsp.length
    }
    state.bannerDone = true
    writeVisitorCookies()
    for (var i = 0; i < queued.length; i++) runHsp(queued[i])
  }

  var hsq = queueOf('_hsq')
  // As HubSpot's build file does: its automatic page view goes at the end of the queue.
  Array.prototype.push.call(hsq, ['trackPageView'])
  var queued = hsq.slice()
  hsq.push = function () {
    for (var i = 0; i < arguments.length; i++) {
      if (state.processed || state.draining) runHsq(arguments[i])
      else state.pending.push(arguments[i])
    }
    return hsq.length
  }

  function drain() {
    if (state.processed || state.draining) return
    state.draining = true
    var items = startOrder(queued.concat(state.pending))
    state.pending = []
    for (var i = 0; i < items.length; i++) runHsq(items[i])
    state.draining = false
    state.processed = true
    if (lateBanner) setTimeout(runBanner, 0)
  }

  if (!lateBanner) runBanner()
  if (document.readyState === 'complete') drain()
  else window.addEventListener('load', drain)
})()
