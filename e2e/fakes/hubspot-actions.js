// A stand-in for Segment's HubSpot Web (Actions) browser destination, as analytics-next
// loads it from the remotePlugins entry of the CDN settings: window.hubspotDestination is a
// plugin factory giving one plugin per subscription (Track Custom Behavioral Event, Track
// Page View, Upsert Contact). Like the real one, the first to load requests HubSpot's
// tracking script (js.hs-scripts.com/{portalId}.js) and each pushes its _hsq commands.
;(function () {
  'use strict'

  var loading = null
  function loadHubSpot(portalId) {
    if (loading) return loading
    window._hsq = window._hsq || []
    loading = new Promise(function (resolve, reject) {
      var script = document.createElement('script')
      script.async = true
      script.src = 'https://js.hs-scripts.com/' + portalId + '.js'
      script.onload = resolve
      script.onerror = reject
      document.head.appendChild(script)
    })
    return loading
  }

  function snake(name) {
    return String(name)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
  }

  function plugin(settings, action, handlers) {
    var result = {
      name: 'HubSpot Web (Actions) ' + action,
      type: 'destination',
      version: '0.0.0',
      isLoaded: function () {
        return true
      },
      load: function () {
        return loadHubSpot(settings.portalId)
      },
    }
    Object.keys(handlers).forEach(function (type) {
      result[type] = function (ctx) {
        handlers[type](ctx.event)
        return Promise.resolve(ctx)
      }
    })
    return result
  }

  function hubspotDestination(settings) {
    return [
      plugin(settings, 'trackCustomBehavioralEvent', {
        track: function (event) {
          window._hsq.push([
            'trackCustomBehavioralEvent',
            { name: 'pe' + settings.portalId + '_' + snake(event.event), properties: event.properties || {} },
          ])
        },
      }),
      plugin(settings, 'trackPageView', {
        page: function (event) {
          window._hsq.push(['setPath', (event.context && event.context.page && event.context.page.path) || '/'])
          window._hsq.push(['trackPageView'])
        },
      }),
      plugin(settings, 'upsertContact', {
        identify: function (event) {
          var traits = event.traits || {}
          if (traits.email) window._hsq.push(['identify', traits])
        },
      }),
    ]
  }
  hubspotDestination.pluginName = 'HubSpot Web (Actions)'
  window.hubspotDestination = hubspotDestination
})()
