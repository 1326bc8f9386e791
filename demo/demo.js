/*
 * The demo page (demo/index.html): analytics-next and analytics-next-hubspot loaded the CDN
 * way, against HubSpot's tracking script or, by default, the local stand-in.
 *
 * Besides making the calls, this file only observes:
 *   - `window._hsq`: an array until hubspot.js replaces its `push` (observed through a
 *     transparent Proxy: `push` stays Array.prototype.push, so the plugin's "loaded?" test is
 *     unchanged); once replaced, that `push` is wrapped to log each command going in. The
 *     plugin queues functions too (HubSpot calls them at their place): shown with what they push;
 *   - the stand-in's `hubspot-standin:beacon` events: each is a beacon to track.hubspot.com,
 *     which the local server decodes; the panel shows the server's decoded hits.
 *
 * Plain browser JavaScript, no build step, no network request beyond this server.
 */
;(function () {
  'use strict'

  var DEFAULT_HUB_ID = '1234567'
  var BEACON_EVENT = 'hubspot-standin:beacon'
  var BASE_TITLE = document.title
  var ROUTE_TITLES = {
    '/': BASE_TITLE,
    '/pricing': 'Pricing · analytics-next-hubspot demo',
    '/docs/setup': 'Docs: setup · analytics-next-hubspot demo',
  }
  var KIND_LABELS = {
    pageView: 'Page view',
    customEvent: 'Custom event',
    legacyEvent: 'Legacy event',
    formSubmission: 'Form submission', // demo/hubspot-forms-standin.js
    revocation: 'Consent revoked',
    unknown: 'Unknown beacon',
  }

  var $ = function (id) {
    return document.getElementById(id)
  }

  // ---------------------------------------------------------------------------------------
  // State.
  // ---------------------------------------------------------------------------------------

  var state = {
    analytics: null, // the Analytics instance, once loaded
    settings: null,
    realHubSpot: false,
    commands: [], // { command, queued } since the last reset, in order
    hits: [], // stand-in hits since the last reset, in order
    seenHits: new Set(), // seq of every hit rendered (never reset: seq keeps growing)
    hubspotLoaded: false,
    scriptFailed: false,
    queuedBeforeLoad: 0,
    queue: null, // our observed pre-load _hsq array
  }

  // ---------------------------------------------------------------------------------------
  // Small DOM helpers (all user data goes in as text, never as HTML).
  // ---------------------------------------------------------------------------------------

  function h(tag, attrs) {
    var node = document.createElement(tag)
    if (attrs) {
      for (var key in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, key) || attrs[key] == null) continue
        if (key === 'className') node.className = attrs[key]
        else if (key === 'text') node.textContent = attrs[key]
        else node.setAttribute(key, attrs[key])
      }
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i])
    return node
  }

  function append(node, child) {
    if (child == null || child === false) return
    if (Array.isArray(child))
      child.forEach(function (c) {
        append(node, c)
      })
    else node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
  }

  /** Text with `backticks` rendered as <code>. */
  function rich(text) {
    var fragment = document.createDocumentFragment()
    String(text)
      .split('`')
      .forEach(function (part, i) {
        if (!part) return
        fragment.appendChild(i % 2 ? h('code', { text: part }) : document.createTextNode(part))
      })
    return fragment
  }

  /**
   * JSON text that stays compact: an object or array goes on one line when it fits in
   * `width` characters, else one entry per line.
   */
  function formatJson(value, width, indent) {
    indent = indent || ''
    if (value === null || typeof value !== 'object') {
      var scalar = JSON.stringify(value)
      return scalar === undefined ? 'null' : scalar
    }
    var isArray = Array.isArray(value)
    var keys = isArray
      ? null
      : Object.keys(value).filter(function (k) {
          return value[k] !== undefined
        })
    var entries = isArray
      ? value.map(function (item) {
          return formatJson(item, width, indent + '  ')
        })
      : keys.map(function (k) {
          return JSON.stringify(k) + ': ' + formatJson(value[k], width, indent + '  ')
        })
    var open = isArray ? '[' : '{'
    var close = isArray ? ']' : '}'
    if (!entries.length) return open + close
    var inline = isArray ? open + entries.join(', ') + close : open + ' ' + entries.join(', ') + ' ' + close
    if (inline.indexOf('\n') === -1 && indent.length + inline.length <= width) return inline
    return (
      open +
      '\n' +
      entries
        .map(function (e) {
          return indent + '  ' + e
        })
        .join(',\n') +
      '\n' +
      indent +
      close
    )
  }

  /** JSON with light syntax colouring. */
  function jsonView(value, width) {
    var text = formatJson(value, width || 0)
    var fragment = document.createDocumentFragment()
    var token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g
    var last = 0
    var match
    while ((match = token.exec(text))) {
      if (match.index > last) fragment.appendChild(document.createTextNode(text.slice(last, match.index)))
      var cls = match[1] ? (match[2] ? 'j-key' : 'j-str') : match[3] ? 'j-lit' : 'j-num'
      fragment.appendChild(h('span', { className: cls, text: match[1] || match[0] }))
      if (match[2]) fragment.appendChild(document.createTextNode(match[2]))
      last = token.lastIndex
    }
    if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)))
    return fragment
  }

  function short(value) {
    if (typeof value === 'string') return value
    var text = JSON.stringify(value)
    return text === undefined ? String(value) : text
  }

  /** A key/value list. */
  function facts(object, className) {
    var list = h('dl', { className: 'kv ' + (className || '') })
    Object.keys(object || {}).forEach(function (key) {
      list.appendChild(h('dt', { text: key }))
      list.appendChild(h('dd', { text: short(object[key]) }))
    })
    return list
  }

  function clock(ms) {
    var d = new Date(ms || Date.now())
    return [d.getHours(), d.getMinutes(), d.getSeconds()]
      .map(function (n) {
        return String(n).padStart(2, '0')
      })
      .join(':')
  }

  function flash(node) {
    node.classList.add('fresh')
    setTimeout(function () {
      node.classList.remove('fresh')
    }, 1600)
  }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split(';') : []
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i].trim()
      if (part.indexOf(name + '=') === 0) {
        try {
          return decodeURIComponent(part.slice(name.length + 1))
        } catch (e) {
          return part.slice(name.length + 1)
        }
      }
    }
    return null
  }

  // ---------------------------------------------------------------------------------------
  // Observing _hsq.
  // ---------------------------------------------------------------------------------------

  // HubSpot's own embed code does `window._hsq = window._hsq || []`; we do the same, through
  // a Proxy that sees every command pushed before hubspot.js arrives.
  function observeQueue() {
    var target = Array.isArray(window._hsq) ? window._hsq : []
    var queue = target
    if (typeof Proxy === 'function') {
      queue = new Proxy(target, {
        set: function (array, key, value) {
          var isNew = typeof key === 'string' && /^\d+$/.test(key) && Number(key) >= array.length
          var ok = Reflect.set(array, key, value)
          if (isNew && !state.hubspotLoaded) logCommand(value, true)
          return ok
        },
      })
    }
    target.forEach(function (command) {
      logCommand(command, true)
    })
    window._hsq = queue
    state.queue = queue
  }

  // hubspot.js keeps `_hsq` and replaces its `push` (it runs the queue once the page has
  // loaded): from then on we wrap that push. Called on every occasion, it only acts once.
  function checkTakeover() {
    if (state.hubspotLoaded) return
    var queue = window._hsq
    if (!queue || typeof queue.push !== 'function' || queue.push === Array.prototype.push) return
    state.hubspotLoaded = true
    state.queuedBeforeLoad = state.commands.length
    var original = queue.push
    try {
      queue.push = function () {
        for (var i = 0; i < arguments.length; i++) logCommand(arguments[i], false)
        return original.apply(this, arguments)
      }
    } catch (e) {
      /* a frozen queue: pre-load commands are still shown */
    }
    addMarker()
  }

  function logCommand(command, queued) {
    var entry = { command: command, queued: queued, at: Date.now() }
    state.commands.push(entry)
    renderCommand(entry, state.commands.length)
  }

  // ---------------------------------------------------------------------------------------
  // Panels.
  // ---------------------------------------------------------------------------------------

  function updateCounts() {
    var hitCount = state.hits.length
    var commandCount = state.commands.length
    $('hits-count').textContent = String(hitCount)
    $('commands-count').textContent = String(commandCount)
    $('hits-empty').hidden = hitCount > 0 || state.realHubSpot
    $('hits-count').hidden = state.realHubSpot
    $('commands-empty').hidden = $('commands').children.length > 0
  }

  function renderCommand(entry, n) {
    var command = entry.command
    var isTask = typeof command === 'function'
    var isArray = Array.isArray(command)
    var name = isTask ? 'function' : isArray && typeof command[0] === 'string' ? command[0] : null
    var args = isTask ? [command.commands || []] : isArray ? command.slice(1) : [command]
    var objects = args.filter(function (arg) {
      return arg !== null && typeof arg === 'object'
    })
    var scalars = args.filter(function (arg) {
      return arg === null || typeof arg !== 'object'
    })

    var line = h('div', { className: 'command-line' })
    line.appendChild(h('span', { className: 'command-name', text: name || '(not a command)' }))
    scalars.forEach(function (arg) {
      line.appendChild(h('span', { className: 'command-arg' }, jsonView(arg)))
    })

    var item = h(
      'li',
      { className: 'command', 'data-command': name || 'unknown', 'data-queued': entry.queued ? 'true' : 'false' },
      h('span', { className: 'command-n', text: String(n) }),
      line,
      h('span', {
        className: 'tag ' + (entry.queued ? 'tag-queued' : 'tag-live'),
        title: isTask
          ? 'A function: HubSpot calls it at its place in the queue, and it pushes these commands then'
          : entry.queued
            ? 'Pushed before hubspot.js loaded: it ran when the script arrived'
            : 'Run by hubspot.js at once',
        text: entry.queued ? 'queued' : 'live',
      }),
      objects.map(function (arg) {
        return h('pre', { className: 'command-json' }, jsonView(arg, 44))
      }),
    )
    var list = $('commands')
    list.appendChild(item)
    flash(item)
    list.scrollTop = list.scrollHeight
    updateCounts()
  }

  function addMarker() {
    var n = state.queuedBeforeLoad
    var text =
      (state.realHubSpot ? 'hubspot.js took over _hsq: ' : 'hubspot.js (stand-in) took over _hsq: ') +
      'it runs the ' +
      n +
      ' entr' +
      (n === 1 ? 'y' : 'ies') +
      ' above (its own page view, the last one, among them) once the page has loaded'
    var list = $('commands')
    list.appendChild(h('li', { className: 'marker', 'data-testid': 'hubspot-loaded' }, h('span', { text: text })))
    list.scrollTop = list.scrollHeight
    updateCounts()
  }

  function hitTitle(hit) {
    if (hit.kind === 'pageView') return hit.path || '/'
    if (hit.kind === 'customEvent') return hit.name || '(no name)'
    if (hit.kind === 'legacyEvent') return String(hit.id)
    if (hit.kind === 'formSubmission') return hit.formName || String(hit.formId)
    if (hit.kind === 'revocation') return 'revokeCookieConsent'
    return hit.raw || '?'
  }

  function addHit(hit) {
    if (!hit || typeof hit !== 'object') return
    var key = hit.seq != null ? 'seq:' + hit.seq : null
    if (key && state.seenHits.has(key)) return
    if (key) state.seenHits.add(key)
    state.hits.push(hit)

    var kind = KIND_LABELS[hit.kind] ? hit.kind : 'unknown'
    var head = h(
      'div',
      { className: 'hit-head' },
      h('span', { className: 'badge kind-' + kind, text: KIND_LABELS[kind] }),
      h('span', { className: 'hit-title', text: hitTitle(hit) }),
      h('span', { className: 'hit-meta', text: '#' + (hit.seq != null ? hit.seq : '?') + ' · ' + clock(hit.at) }),
    )

    var details = []
    if (hit.kind === 'pageView') {
      details.push(h('p', { className: 'hit-line' }, 'title ', h('q', { text: hit.title || '' })))
    } else if (hit.kind === 'customEvent') {
      var props = hit.properties || {}
      details.push(
        Object.keys(props).length
          ? h('div', { className: 'hit-block' }, h('p', { className: 'hit-label', text: 'properties' }), facts(props))
          : h('p', { className: 'hit-line muted', text: 'no properties' }),
      )
      details.push(h('p', { className: 'hit-line muted', text: 'on page ' + (hit.path || '/') }))
    } else if (hit.kind === 'legacyEvent') {
      details.push(
        h(
          'div',
          { className: 'hit-block' },
          facts({ id: hit.id, value: hit.value === null || hit.value === '' ? '(none)' : hit.value }),
        ),
      )
    } else if (hit.kind === 'formSubmission') {
      details.push(h('div', { className: 'hit-block' }, facts(formFields(hit.fields))))
    } else if (hit.kind === 'revocation') {
      details.push(
        h('p', { className: 'hit-line' }, 'HubSpot removed its cookies and goes on cookieless, with a new visitor id.'),
      )
    } else {
      details.push(
        h('p', { className: 'hit-line' }, 'A beacon this page does not know: ', h('code', { text: short(hit.raw) })),
      )
    }

    if (hit.identity && typeof hit.identity === 'object') {
      details.push(
        h(
          'div',
          { className: 'identity' },
          h('p', { className: 'hit-label', text: 'contact traits sent with this hit' }),
          facts(hit.identity),
        ),
      )
    } else if (hit.kind !== 'unknown' && hit.kind !== 'formSubmission') {
      var utk = typeof hit.utk === 'string' ? hit.utk.slice(0, 8) + '…' : 'the visitor cookie'
      details.push(h('p', { className: 'hit-line muted anon', text: 'no traits: only the hubspotutk cookie ' + utk }))
    }

    var item = h('li', { className: 'hit', 'data-kind': hit.kind, 'data-seq': hit.seq }, head, details)
    var list = $('hits')
    list.insertBefore(item, list.firstChild)
    flash(item)
    list.scrollTop = 0
    updateCounts()
    updateVisitor()
  }

  /** A form submission's [{ name, value }] fields as a key/value object. */
  function formFields(fields) {
    var out = {}
    ;(Array.isArray(fields) ? fields : []).forEach(function (field) {
      if (field && typeof field.name === 'string' && field.value !== '') out[field.name] = field.value
    })
    return out
  }

  // The server decodes the beacons it receives: ask it for the ones not shown yet.
  var refreshing = Promise.resolve()
  function refreshHits() {
    refreshing = refreshing.then(function () {
      return fetch('/__hubspot/hits', { cache: 'no-store' })
        .then(function (response) {
          return response.ok ? response.json() : []
        })
        .then(
          function (hits) {
            hits.forEach(addHit)
          },
          function () {},
        )
    })
    return refreshing
  }

  function explain(label, text, tone) {
    var list = $('explain')
    var previous = list.querySelector('.latest')
    if (previous) previous.classList.remove('latest')
    var item = h(
      'li',
      { className: 'latest' + (tone ? ' tone-' + tone : '') },
      h('span', { className: 'explain-time', text: clock() }),
      h('span', { className: 'explain-label', text: label }),
      h('span', { className: 'explain-text' }, rich(text)),
    )
    list.insertBefore(item, list.firstChild)
    while (list.children.length > 40) list.removeChild(list.lastChild)
  }

  function updateVisitor() {
    var analytics = state.analytics
    if (analytics) {
      var user = analytics.user()
      var traits = user.traits() || {}
      setFact('visitor-anon', user.anonymousId() || '…')
      setFact('visitor-email', typeof traits.email === 'string' && traits.email ? traits.email : 'none')
    }
    setFact('visitor-utk', readCookie('hubspotutk') || 'none')
  }

  function setFact(id, text) {
    var node = $(id)
    node.textContent = text
    node.title = text
  }

  function updateLocation() {
    $('current-url').textContent = location.pathname + location.search
  }

  // ---------------------------------------------------------------------------------------
  // Explaining an action from what it actually caused.
  // ---------------------------------------------------------------------------------------

  function commandNames(commands) {
    return commands.map(function (entry) {
      return typeof entry.command === 'function' ? 'function' : Array.isArray(entry.command) ? entry.command[0] : '?'
    })
  }

  // A command pushed as it is, or inside a queued function (which pushes its `commands`).
  function find(commands, name) {
    for (var i = 0; i < commands.length; i++) {
      var command = commands[i].command
      var inner = typeof command === 'function' ? command.commands || [] : [command]
      for (var j = 0; j < inner.length; j++) if (Array.isArray(inner[j]) && inner[j][0] === name) return inner[j]
    }
    return null
  }

  function carried(hits) {
    for (var i = 0; i < hits.length; i++) if (hits[i].identity) return hits[i].identity
    return null
  }

  function pendingNote() {
    return state.hubspotLoaded
      ? ''
      : ' hubspot.js has not loaded yet: the commands wait in `_hsq` and run when it arrives.'
  }

  function explainPage(prefix, result) {
    var names = commandNames(result.commands)
    var path = location.pathname + location.search
    if (names.length === 0) {
      return (
        prefix +
        'HubSpot’s script already recorded a view of `' +
        path +
        '` when it loaded, so the plugin sent nothing: the first page view is never counted twice.'
      )
    }
    if (!state.hubspotLoaded) {
      return (
        prefix +
        'hubspot.js has not loaded yet, so the plugin queued this view in `_hsq`: a function HubSpot calls at its place in the queue, ' +
        'with this path and title. The last view queued before the script arrives is the one HubSpot records by itself; each earlier one is replayed as its own. One view per call.'
      )
    }
    var text = prefix + '`setPath` then `trackPageView`: one new page view of `' + path + '`.'
    var identity = carried(result.hits)
    if (identity)
      text += ' The traits stored by identify travelled with it' + (identity.email ? ' (' + identity.email + ').' : '.')
    return text + pendingNote()
  }

  function explainIdentify(result) {
    var command = find(result.commands, 'identify')
    if (!command) {
      return 'No valid email in the traits, so the plugin sent nothing: HubSpot needs an email to find the contact.'
    }
    var keys = Object.keys(command[1] || {})
    var text =
      'identify only stores traits in HubSpot: they travel with every later page view or event of the page. ' +
      'Sent as HubSpot properties: ' +
      keys
        .map(function (k) {
          return '`' + k + '`'
        })
        .join(', ') +
      '.'
    if (result.hits.length) text += ' ' + result.hits.length + ' hit(s) carried them at once.'
    return text + pendingNote()
  }

  function explainTrack(eventName, result) {
    var names = commandNames(result.commands)
    if (!names.length)
      return 'The plugin sent nothing for `' + eventName + '`: its name has no letters or digits HubSpot could use.'
    var parts = []
    var identify = find(result.commands, 'identify')
    if (identify) parts.push('The event carried an email, so its contact properties went first as an `identify`.')
    var custom = find(result.commands, 'trackCustomBehavioralEvent')
    if (custom) {
      var hubName = custom[1] && custom[1].name
      var mapped = mappedName(eventName)
      parts.push(
        mapped
          ? '`' +
              eventName +
              '` is mapped in `settings.events`, so it became the custom behavioral event `' +
              hubName +
              '`.'
          : '`' + eventName + '` is not in `settings.events`, so its HubSpot name was derived: `' + hubName + '`.',
      )
      var props = Object.keys((custom[1] && custom[1].properties) || {})
      if (props.length)
        parts.push(
          'Properties: ' +
            props
              .map(function (k) {
                return '`' + k + '`'
              })
              .join(', ') +
            '.',
        )
    }
    var legacy = find(result.commands, 'trackEvent')
    if (legacy) parts.push('Sent as HubSpot’s legacy `trackEvent`.')
    var identity = carried(result.hits)
    if (identity)
      parts.push(
        'The traits stored by identify travelled with it' + (identity.email ? ' (' + identity.email + ').' : '.'),
      )
    else if (result.hits.length)
      parts.push('No traits were waiting: HubSpot ties it to the visitor by the `hubspotutk` cookie.')
    return parts.join(' ') + pendingNote()
  }

  function mappedName(eventName) {
    var events = (state.settings && state.settings.events) || {}
    var wanted = eventName.trim().toLowerCase()
    return Object.keys(events).some(function (key) {
      return key.trim().toLowerCase() === wanted
    })
  }

  // Actions run one at a time, so each explanation sees only what its own call caused.
  var chain = Promise.resolve()

  function act(run, describe) {
    chain = chain.then(function () {
      checkTakeover()
      var fromCommand = state.commands.length
      var fromHit = state.hits.length
      return withTimeout(Promise.resolve().then(run), 5000)
        .then(function (value) {
          // Beacons reach the server in the background: give them a moment, then read the decoded hits.
          return new Promise(function (done) {
            setTimeout(function () {
              refreshHits().then(function () {
                done(value)
              })
            }, 60)
          })
        })
        .then(
          function (value) {
            checkTakeover()
            updateVisitor()
            updateLocation()
            describe({
              value: value,
              commands: state.commands.slice(fromCommand),
              hits: state.hits.slice(fromHit),
            })
          },
          function (error) {
            explain(
              'error',
              'Something went wrong: ' + (error && error.message ? error.message : String(error)),
              'error',
            )
          },
        )
    })
    return chain
  }

  function withTimeout(promise, ms) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        reject(new Error('no answer from analytics after ' + ms + ' ms'))
      }, ms)
      promise.then(
        function (value) {
          clearTimeout(timer)
          resolve(value)
        },
        function (error) {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }

  // ---------------------------------------------------------------------------------------
  // Forms.
  // ---------------------------------------------------------------------------------------

  /** Parses a JSON object field; shows an inline error and returns null when it is not one. */
  function readJsonObject(field, errorId) {
    var error = $(errorId)
    var text = field.value.trim()
    var value
    var message = null
    if (text === '') value = {}
    else {
      try {
        value = JSON.parse(text)
        if (value === null || typeof value !== 'object' || Array.isArray(value))
          message = 'Expected a JSON object, like { "plan": "pro" }.'
      } catch (e) {
        message = 'This is not valid JSON: ' + (e && e.message ? e.message : 'syntax error') + '.'
      }
    }
    showError(field, error, message)
    return message ? null : value
  }

  function showError(field, error, message) {
    if (message) {
      error.textContent = message
      error.hidden = false
      field.setAttribute('aria-invalid', 'true')
    } else {
      error.textContent = ''
      error.hidden = true
      field.removeAttribute('aria-invalid')
    }
  }

  function onIdentify(event) {
    event.preventDefault()
    var extra = readJsonObject($('identify-extra'), 'identify-extra-error')
    if (!extra) return
    var traits = {}
    Object.keys(extra).forEach(function (key) {
      traits[key] = extra[key]
    })
    ;['email', 'firstName', 'lastName', 'company'].forEach(function (name) {
      var value = $('identify-' + name).value.trim()
      if (value) traits[name] = value
    })
    act(
      function () {
        return state.analytics.identify(traits)
      },
      function (result) {
        explain('identify', explainIdentify(result))
      },
    )
  }

  function onTrack(event) {
    event.preventDefault()
    var nameField = $('track-event')
    var eventName = nameField.value.trim()
    showError(nameField, $('track-event-error'), eventName ? null : 'Give the event a name, like Order Completed.')
    var properties = readJsonObject($('track-properties'), 'track-properties-error')
    if (!eventName || !properties) return
    act(
      function () {
        return state.analytics.track(eventName, properties)
      },
      function (result) {
        explain('track', explainTrack(eventName, result))
      },
    )
  }

  function titleFor(pathname) {
    return ROUTE_TITLES[pathname] || BASE_TITLE
  }

  function navigate(path) {
    act(
      function () {
        history.pushState({ demo: true }, '', path)
        document.title = titleFor(location.pathname)
        updateLocation()
        return state.analytics.page()
      },
      function (result) {
        explain(
          'navigate',
          explainPage('`history.pushState` to `' + path + '` (no reload), then `analytics.page()`: ', result),
        )
      },
    )
  }

  function onPopState() {
    if (!state.analytics) return
    act(
      function () {
        document.title = titleFor(location.pathname)
        updateLocation()
        return state.analytics.page()
      },
      function (result) {
        explain(
          'back/forward',
          explainPage('The browser went back or forward, and the app called `analytics.page()`: ', result),
        )
      },
    )
  }

  function onReset() {
    act(
      function () {
        state.analytics.reset()
        state.commands = []
        state.hits = []
        $('hits').textContent = ''
        $('commands').textContent = ''
        $('explain').textContent = ''
        updateCounts()
        return fetch('/__hubspot/hits', { method: 'DELETE' }).then(
          function (response) {
            return response.ok
          },
          function () {
            return false
          },
        )
      },
      function () {
        explain(
          'reset',
          '`analytics.reset()` forgot the user (new anonymousId, no userId, no traits) and the plugin ended the HubSpot identity: ' +
            'its visitor cookies (`hubspotutk`, `__hstc`, `__hssc`, `__hssrc`) are gone, so the next page load is a new HubSpot visitor. ' +
            'HubSpot’s script still holds the previous visitor in memory for this page, so the plugin sends it nothing more until you reload. The panels were cleared.',
        )
      },
    )
  }

  // ---------------------------------------------------------------------------------------
  // Start.
  // ---------------------------------------------------------------------------------------

  function setStatus(text, stateName) {
    var status = $('status')
    status.textContent = text
    status.setAttribute('data-state', stateName)
  }

  function fail(message) {
    setStatus('error', 'error')
    var banner = $('banner')
    banner.textContent = ''
    banner.appendChild(rich(message))
    banner.hidden = false
  }

  function loadConfig() {
    return fetch('/demo/config.json', { cache: 'no-store' })
      .then(function (response) {
        return response.ok ? response.json() : {}
      })
      .catch(function () {
        return {}
      })
  }

  function showSettings(settings) {
    var pre = $('settings')
    pre.textContent = ''
    pre.appendChild(jsonView(settings, 40))
    $('settings-note').textContent = ''
    $('settings-note').appendChild(
      rich(
        state.realHubSpot
          ? 'No `scriptUrl`: the plugin loads HubSpot’s real tracking script, `https://js.hs-scripts.com/' +
              settings.hubId +
              '.js`. `hubspotUtk()` copies the `hubspotutk` cookie into `context.traits.utk`.'
          : '`scriptUrl` points at the local stand-in; without it the plugin loads `https://js.hs-scripts.com/' +
              settings.hubId +
              '.js`. `hubspotUtk()` copies the `hubspotutk` cookie into `context.traits.utk`.',
      ),
    )
  }

  function showMode(hubId) {
    if (!state.realHubSpot) return
    $('mode').textContent = 'real HubSpot · hub ' + hubId
    $('mode').classList.add('mode-real')
    $('lede').textContent = ''
    $('lede').appendChild(
      rich(
        'This page loads Segment’s analytics-next and the HubSpot plugin from plain script tags, exactly as a site would, ' +
          'with HubSpot’s real tracking script for hub ' +
          hubId +
          '. Hits go to HubSpot: they are visible in your HubSpot account, not here. ' +
          'The `_hsq` panel still shows every command the plugin sends.',
      ),
    )
    $('hits-sub').textContent = ''
    $('hits-sub').appendChild(
      rich(
        'Using the real HubSpot script for hub ' +
          hubId +
          ': hits are visible in HubSpot (the contact’s timeline, traffic analytics), not here. ' +
          'Run `npm run demo` without `HUBSPOT_HUB_ID` to see them on this page.',
      ),
    )
    $('hits-sub').classList.add('notice')
    $('footer-text').textContent =
      'analytics-next and the plugin are served from this machine; HubSpot’s script comes from js.hs-scripts.com.'
  }

  function describeStart(result) {
    var names = commandNames(result.commands)
    var text =
      'analytics-next loaded with `hubspotUtk()` and `hubspot(settings)`, and `analytics.page()` ran once, as the Segment snippet does. '
    if (names[0] === 'setPath' && state.hubspotLoaded) {
      text +=
        'hubspot.js had not arrived yet, so the plugin only queued `setPath`; the script recorded the page view by itself when it loaded. One view, not two.'
    } else if (names[0] === 'setPath' && state.scriptFailed) {
      text +=
        'The plugin queued `setPath` for HubSpot’s own first view, but hubspot.js did not load: nothing reached HubSpot.'
    } else if (names[0] === 'setPath') {
      text +=
        'hubspot.js has not arrived yet, so the plugin only queued `setPath`: the script records the page view by itself when it loads. One view, not two.'
    } else if (!names.length && state.hubspotLoaded) {
      text +=
        'hubspot.js arrived first and recorded the page view by itself, so the plugin’s `page()` sent nothing. One view, not two.'
    } else if (!names.length) {
      text += 'The plugin sent nothing yet; HubSpot’s script records the first view by itself when it loads.'
    }
    return text + ' Try Identify, then Track: the traits travel with the event.'
  }

  function start() {
    observeQueue()
    window.addEventListener(BEACON_EVENT, function () {
      checkTakeover()
      refreshHits()
    })
    // The forms stand-in posts each submission to the server (HubSpot's forms API), then says so.
    window.addEventListener('hubspot-standin:hit', function () {
      setTimeout(refreshHits, 50)
      setTimeout(refreshHits, 300)
    })
    // The script's own load event; hubspot.js has run (and replaced _hsq) by then.
    document.addEventListener(
      'load',
      function (event) {
        if (event.target && event.target.tagName === 'SCRIPT') checkTakeover()
      },
      true,
    )
    document.addEventListener(
      'error',
      function (event) {
        var target = event.target
        if (!target || target.tagName !== 'SCRIPT' || target.id !== 'hs-script-loader') return
        state.scriptFailed = true
        explain(
          'hubspot.js',
          'HubSpot’s script could not load from `' +
            target.getAttribute('src') +
            '` (offline, an ad blocker or a Content-Security-Policy). ' +
            'analytics goes on; the plugin warned once and the commands wait in `_hsq`.',
          'error',
        )
      },
      true,
    )
    window.addEventListener('popstate', onPopState)
    $('identify-form').addEventListener('submit', onIdentify)
    $('track-form').addEventListener('submit', onTrack)
    $('page-btn').addEventListener('click', function () {
      act(
        function () {
          return state.analytics.page()
        },
        function (result) {
          explain('page', explainPage('`analytics.page()` on the current URL: ', result))
        },
      )
    })
    Array.prototype.forEach.call(document.querySelectorAll('button.route'), function (button) {
      button.addEventListener('click', function () {
        navigate(button.getAttribute('data-path'))
      })
    })
    $('reset-btn').addEventListener('click', onReset)
    updateLocation()
    updateVisitor()
    updateCounts()

    var AnalyticsNext = window.AnalyticsNext
    var plugin = window.AnalyticsNextHubSpot
    if (!AnalyticsNext || !AnalyticsNext.AnalyticsBrowser) {
      return fail(
        'analytics-next did not load from `/analytics-next/bundles/index.js`. Run `npm install`, then `npm run demo`.',
      )
    }
    if (!plugin || typeof plugin.hubspot !== 'function') {
      return fail(
        'The plugin did not load from `/dist/analytics-next-hubspot.iife.min.js`. Run `npm run build`, then reload.',
      )
    }
    if (typeof plugin.hubspotUtk !== 'function') {
      return fail(
        '`hubspotUtk` did not load from `/dist/analytics-next-hubspot-utk.iife.min.js`. Run `npm run build`, then reload.',
      )
    }

    return loadConfig().then(function (config) {
      var hubId = config && config.hubId ? String(config.hubId) : DEFAULT_HUB_ID
      state.realHubSpot = !!(config && config.realHubSpot)
      var settings = {
        hubId: hubId,
        scriptUrl: state.realHubSpot ? undefined : '/hubspot/' + hubId + '.js',
        debug: false,
        events: { 'Order Completed': 'pe' + hubId + '_order_completed' },
      }
      state.settings = settings
      showMode(hubId)
      showSettings(settings)
      updateCounts()

      var hubspot
      try {
        hubspot = plugin.hubspot(settings)
      } catch (error) {
        return fail('The plugin refused its settings: ' + (error && error.message ? error.message : String(error)))
      }

      return act(
        function () {
          var browser = AnalyticsNext.AnalyticsBrowser.load(
            {
              writeKey: 'demo',
              cdnSettings: { integrations: { 'Segment.io': { apiKey: '' } }, metrics: { sampleRate: 0 } },
              plugins: [plugin.hubspotUtk(), hubspot],
            },
            { integrations: { 'Segment.io': false } },
          )
          var firstPage = browser.page() // as the Segment snippet does
          return browser.then(function (loaded) {
            state.analytics = loaded[0]
            window.demo = { analytics: loaded[0], settings: settings, explain: explain }
            return firstPage
          })
        },
        function (result) {
          explain('page load', describeStart(result))
          var v = $('versions')
          v.textContent = 'v' + (plugin.VERSION || '?') + ' · analytics-next ' + (state.analytics.VERSION || '')
          Array.prototype.forEach.call(document.querySelectorAll('button[disabled]'), function (button) {
            button.disabled = false
          })
          setStatus('ready', 'ready')
        },
      ).then(function () {
        if (!state.analytics) fail('analytics-next could not start: see the browser console.')
      })
    })
  }

  // Until hubspot.js takes over, also look now and then (a page that keeps HubSpot's own embed).
  var polls = 0
  var poller = setInterval(function () {
    checkTakeover()
    if (state.hubspotLoaded || ++polls > 240) clearInterval(poller)
  }, 250)

  start()
})()
