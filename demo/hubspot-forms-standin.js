/*
 * Local stand-in for HubSpot's forms, both kinds, used by the demo and the e2e tests:
 *
 *   - legacy forms, embedded with `hbspt.forms.create({ portalId, formId, target })` (HubSpot's
 *     js.hsforms.net/forms/v2.js). They report their life cycle as `window` messages
 *     `{ type: 'hsFormCallback', eventName, id: formId, data }`:
 *       onBeforeFormInit, onFormReady                  data: none
 *       onBeforeFormSubmit, onFormSubmit               data: the fields, [{ name, value }]
 *       onFormSubmitted (HubSpot accepted it)          data: { redirectUrl, conversionId, formGuid, submissionValues }
 *     A form rendered in the page posts them to its own window; a form in a frame (HubSpot's
 *     iframe embeds, share pages on hsforms.com) posts them to the parent window.
 *
 *   - forms of HubSpot's updated editor, embedded as `<div class="hs-form-frame" data-form-id
 *     data-portal-id data-region>` (js.hsforms.net/forms/embed/{portalId}.js). They dispatch
 *     CustomEvents on `window` ("Global form events"): `hs-form-event:on-ready` and
 *     `hs-form-event:on-submission:success`, `event.detail` holding `{ formId, instanceId }`;
 *     `window.HubSpotFormsV4.getFormFromEvent(event)` gives the form, whose
 *     `getFormFieldValues()` resolves to `[{ name, value }]` with the object type id in each
 *     name (`0-1/email`, `0-1/firstname` for contact properties). The real embed renders the
 *     form in a frame; this one renders it in the page, which changes nothing of the events.
 *
 * HubSpot keeps form definitions on its servers; here the page defines them first:
 *   hubspotFormsStandin.define(formId, { name, fields: [{ name, label, type, required }] })
 * Instead of posting to HubSpot's forms API, each accepted submission is recorded as a
 * `formSubmission` hit, on the same channels as the tracking stand-in (demo/hubspot-standin.js):
 * `window.hubspotFormsStandin.submissions`, a `hubspot-standin:hit` event, a beacon to
 * `/__hubspot/hits` on this page's origin.
 *
 * Plain ES2017, no modules, no dependencies, never throws into the page.
 */
;(function () {
  'use strict'

  if (window.hubspotFormsStandin) return

  var HIT_EVENT = 'hubspot-standin:hit'
  var V4_EVENT = 'hs-form-event:'
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/
  var definitions = {}
  var v4Forms = []
  var submissions = []
  var counter = 0

  function uuid() {
    try {
      if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID()
    } catch (e) {
      /* not a secure context: below */
    }
    return 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, function () {
      return Math.floor(Math.random() * 16).toString(16)
    })
  }

  function collector() {
    var origin = window.__hubspotStandinCollector
    if (typeof origin === 'string' && origin) return origin.replace(/\/+$/, '') + '/__hubspot/forms'
    return location.origin + '/__hubspot/forms'
  }

  // What HubSpot's forms API would have received.
  function record(kind, formId, fields) {
    counter += 1
    var hit = {
      seq: 'form-' + counter,
      kind: 'formSubmission',
      formKind: kind,
      formId: formId,
      formName: (definitions[formId] && definitions[formId].name) || '',
      fields: fields,
      path: location.pathname + location.search,
      url: location.href,
      at: Date.now(),
    }
    submissions.push(hit)
    try {
      var body = JSON.stringify(hit)
      if (!(navigator.sendBeacon && navigator.sendBeacon(collector(), body))) {
        fetch(collector(), { method: 'POST', body: body, keepalive: true }).catch(function () {})
      }
    } catch (e) {
      /* the page still has the hit */
    }
    try {
      window.dispatchEvent(new CustomEvent(HIT_EVENT, { detail: hit }))
    } catch (e) {
      /* no CustomEvent: the hit is still recorded */
    }
    return hit
  }

  function h(tag, attrs, text) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (key) {
      if (attrs[key] != null) node.setAttribute(key, attrs[key])
    })
    if (text) node.textContent = text
    return node
  }

  // The form's inputs; `prefix` is '' for legacy forms and '0-1/' for the updated editor.
  function renderFields(form, formId, prefix) {
    var definition = definitions[formId] || { fields: [] }
    definition.fields.forEach(function (field, i) {
      var id = 'hsfs-' + formId + '-' + i + (prefix ? '-v4' : '')
      var box = h('div', { class: 'hs-form-field' })
      if (field.type !== 'hidden') box.appendChild(h('label', { for: id }, field.label || field.name))
      var input = field.type === 'textarea' ? h('textarea', { rows: '2' }) : h('input', { type: field.type || 'text' })
      input.id = id
      input.name = prefix + field.name
      input.className = 'hs-input'
      if (field.value) input.value = field.value
      if (field.placeholder) input.placeholder = field.placeholder
      if (field.required) input.required = true
      box.appendChild(input)
      box.appendChild(h('p', { class: 'hs-error-msg', hidden: '' }))
      form.appendChild(box)
    })
    form.appendChild(h('button', { type: 'submit', class: 'hs-button primary' }, definition.submitText || 'Submit'))
  }

  // HubSpot checks a form before sending it: required fields filled, emails that look like one.
  function valid(form) {
    var ok = true
    Array.prototype.forEach.call(form.querySelectorAll('.hs-input'), function (input) {
      var message = ''
      var value = input.value.trim()
      if (input.required && !value) message = 'Please complete this required field.'
      else if (input.type === 'email' && value && !EMAIL.test(value)) message = 'Email must be formatted correctly.'
      var error = input.parentNode.querySelector('.hs-error-msg')
      error.textContent = message
      error.hidden = !message
      if (message) ok = false
    })
    return ok
  }

  function values(form) {
    return Array.prototype.map.call(form.querySelectorAll('.hs-input'), function (input) {
      return { name: input.name, value: input.value }
    })
  }

  function thanks(form) {
    var done = h('div', { class: 'submitted-message' }, 'Thanks for submitting the form.')
    form.parentNode.replaceChild(done, form)
  }

  // ---------------------------------------------------------------------------------------
  // Legacy forms.
  // ---------------------------------------------------------------------------------------

  function post(formId, eventName, data) {
    var message = { type: 'hsFormCallback', eventName: eventName, id: formId, data: data }
    try {
      var target = window.parent && window.parent !== window ? window.parent : window
      target.postMessage(message, '*')
    } catch (e) {
      /* a detached frame */
    }
  }

  function callback(options, name, arg) {
    try {
      if (typeof options[name] === 'function') options[name](arg)
    } catch (e) {
      /* a site's callback must not stop the form */
    }
  }

  function createLegacy(options) {
    var formId = String(options.formId || '')
    var target = typeof options.target === 'string' ? document.querySelector(options.target) : null
    if (!target || !definitions[formId]) return null
    post(formId, 'onBeforeFormInit')
    var form = h('form', {
      id: 'hsForm_' + formId,
      class: 'hs-form stacked',
      'data-form-id': formId,
      'data-portal-id': options.portalId,
      novalidate: '',
    })
    renderFields(form, formId, '')
    form.addEventListener('submit', function (event) {
      event.preventDefault()
      if (!valid(form)) return
      var fields = values(form)
      post(formId, 'onBeforeFormSubmit', fields)
      callback(options, 'onBeforeFormSubmit', form)
      post(formId, 'onFormSubmit', fields)
      callback(options, 'onFormSubmit', form)
      record('legacy', formId, fields)
      var submissionValues = {}
      fields.forEach(function (field) {
        submissionValues[field.name] = field.value
      })
      // HubSpot answers, then the form reports success and shows its thank-you message.
      setTimeout(function () {
        thanks(form)
        var data = { redirectUrl: '', conversionId: uuid(), formGuid: formId, submissionValues: submissionValues }
        post(formId, 'onFormSubmitted', data)
        callback(options, 'onFormSubmitted', form)
      }, 30)
    })
    target.appendChild(form)
    post(formId, 'onFormReady')
    callback(options, 'onFormReady', form)
    return form
  }

  // ---------------------------------------------------------------------------------------
  // Forms of the updated editor.
  // ---------------------------------------------------------------------------------------

  function dispatch(name, instance) {
    try {
      var detail = { formId: instance.formId, instanceId: instance.instanceId }
      window.dispatchEvent(new CustomEvent(V4_EVENT + name, { detail: detail }))
    } catch (e) {
      /* no CustomEvent */
    }
  }

  function formApi(instance) {
    return {
      getFormId: function () {
        return instance.formId
      },
      getInstanceId: function () {
        return instance.instanceId
      },
      getConversionId: function () {
        return instance.conversionId
      },
      getFormFieldValues: function () {
        return Promise.resolve(
          instance.values.map(function (field) {
            return { name: field.name, value: field.value }
          }),
        )
      },
    }
  }

  function renderFrame(frame) {
    var formId = frame.getAttribute('data-form-id') || ''
    if (frame.getAttribute('data-standin-rendered') || !definitions[formId]) return
    frame.setAttribute('data-standin-rendered', 'true')
    var instance = { formId: formId, instanceId: uuid(), conversionId: null, values: [] }
    instance.api = formApi(instance)
    v4Forms.push(instance)
    var form = h('form', { class: 'hsfc-Form', 'data-form-id': formId, novalidate: '' })
    renderFields(form, formId, '0-1/')
    form.addEventListener('submit', function (event) {
      event.preventDefault()
      if (!valid(form)) return
      instance.values = values(form)
      record('v4', formId, instance.values)
      setTimeout(function () {
        instance.conversionId = uuid()
        thanks(form)
        dispatch('on-submission:success', instance)
      }, 30)
    })
    frame.appendChild(form)
    dispatch('on-ready', instance)
  }

  function renderFrames() {
    Array.prototype.forEach.call(document.querySelectorAll('.hs-form-frame[data-form-id]'), renderFrame)
  }

  var api = {
    getForms: function () {
      return v4Forms.map(function (instance) {
        return instance.api
      })
    },
    getFormFromEvent: function (event) {
      var detail = event && event.detail
      for (var i = 0; i < v4Forms.length; i++) {
        if (detail && v4Forms[i].instanceId === detail.instanceId) return v4Forms[i].api
      }
      return null
    },
  }

  window.hbspt = window.hbspt || {}
  window.hbspt.forms = window.hbspt.forms || {
    create: function (options) {
      try {
        return createLegacy(options || {})
      } catch (e) {
        return null
      }
    },
  }
  window.HubSpotFormsV4 = window.HubSpotFormsV4 || api
  window.hubspotFormsStandin = {
    define: function (formId, definition) {
      definitions[String(formId)] = definition
    },
    renderFrames: renderFrames,
    submissions: submissions,
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', renderFrames)
})()
