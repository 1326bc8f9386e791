/*
 * The demo's HubSpot forms (the "HubSpot forms" card of demo/index.html): one legacy form and
 * one form of HubSpot's updated editor, both from the local stand-in
 * (demo/hubspot-forms-standin.js), and `hubspotForms()` registered on the demo's analytics.
 *
 * A submission shows up in every panel: HubSpot's forms API received it ("HubSpot received"),
 * the other destinations get an identify and a track ("Other destinations received", a
 * recording destination registered here), and nothing goes to `_hsq`: HubSpot already has it.
 *
 * Plain browser JavaScript, no build step; it only waits for demo.js to have loaded analytics.
 */
;(function () {
  'use strict'

  var LEGACY_FORM = '5f1c9e2a-7b3d-4a8e-9c61-2d4f8a0b7e15'
  var V4_FORM = 'c2a7e9d4-1f6b-4e3a-8d25-9b0c7f4e6a31'
  var PORTAL = '1234567'
  var FIELDS = [
    { name: 'email', label: 'Email', type: 'email', required: true, value: 'jordan@example.com' },
    { name: 'firstname', label: 'First name', value: 'Jordan' },
    { name: 'company', label: 'Company name', placeholder: 'Acme Inc.' },
    { name: 'message', label: 'Message', type: 'textarea', placeholder: 'How can we help?' },
  ]

  var $ = function (id) {
    return document.getElementById(id)
  }
  var standin = window.hubspotFormsStandin
  var plugin = window.AnalyticsNextHubSpot
  if (!standin || !plugin || typeof plugin.hubspotForms !== 'function') return

  standin.define(LEGACY_FORM, { name: 'Contact us (legacy form)', fields: FIELDS, submitText: 'Send' })
  standin.define(V4_FORM, { name: 'Book a demo (updated editor)', fields: FIELDS, submitText: 'Book' })

  function render() {
    $('legacy-form').textContent = ''
    var frame = $('v4-form')
    frame.textContent = ''
    frame.removeAttribute('data-standin-rendered')
    window.hbspt.forms.create({ portalId: PORTAL, formId: LEGACY_FORM, target: '#legacy-form' })
    standin.renderFrames()
  }

  // In the page's "What just happened" panel (demo.js), else under the forms.
  function say(text) {
    var demo = window.demo
    if (demo && typeof demo.explain === 'function') demo.explain('form', text)
    else $('forms-explain').textContent = text
  }

  function el(tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text != null) node.textContent = text
    return node
  }

  function show(event) {
    var identify = event.type === 'identify'
    var item = el('li', 'hit')
    item.setAttribute('data-type', event.type)
    var head = el('div', 'hit-head')
    head.appendChild(el('span', 'badge kind-' + (identify ? 'legacyEvent' : 'customEvent'), event.type))
    head.appendChild(el('span', 'hit-title', identify ? 'traits' : event.event))
    item.appendChild(head)
    var values = (identify ? event.traits : event.properties) || {}
    var list = el('dl', 'kv')
    Object.keys(values).forEach(function (key) {
      list.appendChild(el('dt', '', key))
      list.appendChild(el('dd', '', typeof values[key] === 'string' ? values[key] : JSON.stringify(values[key])))
    })
    item.appendChild(list)
    var skipped = Object.keys(event.integrations || {}).filter(function (name) {
      return event.integrations[name] === false && name !== 'Segment.io'
    })
    item.appendChild(el('p', 'hit-line muted', 'not sent to: ' + skipped.join(', ')))
    var feed = $('other-destinations')
    feed.insertBefore(item, feed.firstChild)
    while (feed.children.length > 20) feed.removeChild(feed.lastChild)
    $('other-empty').hidden = true
  }

  // The site's other tools: a destination that shows what it receives from the forms.
  function record(ctx) {
    var event = ctx.event
    if (event.integrations && event.integrations.HubSpot === false) show(event)
    return ctx
  }
  var otherTools = {
    name: 'Other tools (demo)',
    type: 'destination',
    version: '1.0.0',
    isLoaded: function () {
      return true
    },
    load: function () {
      return Promise.resolve()
    },
    identify: record,
    track: record,
  }

  window.addEventListener('hubspot-standin:hit', function (event) {
    var hit = event.detail
    if (!hit || hit.kind !== 'formSubmission') return
    say(
      'HubSpot received the submission of “' +
        hit.formName +
        '” itself (see “HubSpot received”). `hubspotForms()` passes it on to the other destinations as `identify` and ' +
        '`track`, with `integrations: { HubSpot: false }`: nothing goes to `_hsq`, so HubSpot does not count it twice.',
    )
  })

  var tries = 0
  var wait = setInterval(function () {
    var analytics = window.demo && window.demo.analytics
    if (!analytics && ++tries < 400) return
    clearInterval(wait)
    if (!analytics) return
    var forms = plugin.hubspotForms({ formNames: { [LEGACY_FORM]: 'Contact us', [V4_FORM]: 'Book a demo' } })
    Promise.all([analytics.register(forms), analytics.register(otherTools)]).then(function () {
      $('forms-card').setAttribute('data-ready', 'true')
      // With HubSpot's real script (HUBSPOT_HUB_ID), stand-in forms would pose as submissions HubSpot never got.
      if (!window.demo.settings || window.demo.settings.scriptUrl === undefined) {
        $('forms-explain').textContent =
          'The form stand-ins are off with HubSpot’s real script: embed one of your HubSpot forms to see hubspotForms() at work.'
        return
      }
      render()
      $('forms-again').disabled = false
    })
  }, 25)

  // "Reset visitor" clears the other panels: this one too.
  $('reset-btn').addEventListener('click', function () {
    $('other-destinations').textContent = ''
    $('other-empty').hidden = false
  })

  $('forms-again').addEventListener('click', function () {
    render()
    say('New forms rendered: submit one again.')
  })
})()
