/* The public map: the published locations from /open-data/locations.geojson, clustered, coloured by
   availability, refreshed in place (If-None-Match: unchanged data costs a 304, never a page reload). */
(function () {
  'use strict';
  var COLOURS = { AVAILABLE: 'od-available', OCCUPIED: 'od-occupied', UNAVAILABLE: 'od-unavailable', UNKNOWN: 'od-unknown' };
  var element = document.getElementById('map');
  var feedUrl = element.dataset.feed;
  var seconds = Number(new URLSearchParams(window.location.search).get('refresh'));
  var refreshMs = (Number.isFinite(seconds) && seconds >= 1 ? seconds : 30) * 1000;

  var map = L.map(element, { maxZoom: 19, worldCopyJump: true }).setView([52.1, 5.1], 7);
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl, { maxZoom: 19, attribution: element.dataset.tilesAttribution || '' }).addTo(map);
  }
  var clusters = L.markerClusterGroup({ showCoverageOnHover: false });
  map.addLayer(clusters);
  var markers = new Map();
  var state = { features: 0, markers: 0, refreshes: 0, notModified: 0, etag: null, error: null };
  window.__mapState = state;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var UNITS = { ENERGY: '/kWh', TIME: '/h charging', PARKING_TIME: '/h parking', FLAT: ' per session' };
  function priceText(tariff) {
    var element0 = tariff.elements[0];
    var parts = element0.price_components.map(function (c) {
      var vat = c.vat !== undefined ? c.price * (1 + c.vat / 100) : c.price;
      return tariff.currency + ' ' + vat.toFixed(2) + UNITS[c.type];
    });
    var withVat = element0.price_components.every(function (c) { return c.vat !== undefined; });
    var alt = (tariff.tariff_alt_text || [])[0];
    return parts.join(' + ') + (withVat ? ' incl. VAT' : '') + (alt ? ' (' + alt.text + ')' : '');
  }

  function connectorText(c) {
    return c.standard + ' ' + c.power_type + (c.max_electric_power_kw !== null ? ' ' + c.max_electric_power_kw + ' kW' : '');
  }

  function popup(props) {
    var root = el('div', 'od-popup');
    root.appendChild(el('h3', null, props.name || props.id));
    root.appendChild(el('p', null, [props.address, props.postal_code, props.city].filter(Boolean).join(', ')));
    var list = el('ul');
    props.evses.forEach(function (evse) {
      var item = el('li', 'od-evse', (evse.evse_id || evse.uid) + ': ' + evse.status);
      item.dataset.uid = evse.uid;
      item.appendChild(el('div', null, evse.connectors.map(connectorText).join('; ')));
      list.appendChild(item);
    });
    root.appendChild(list);
    props.tariffs.forEach(function (tariff) { root.appendChild(el('p', 'od-price', 'Ad hoc: ' + priceText(tariff))); });
    if (props.tariffs.length === 0) root.appendChild(el('p', 'od-price', 'Ad hoc price: not published'));
    return root;
  }

  function icon(availability) {
    return L.divIcon({ className: 'od-marker ' + (COLOURS[availability] || COLOURS.UNKNOWN), iconSize: [18, 18] });
  }

  function show(collection) {
    var seen = new Set();
    var added = [];
    collection.features.forEach(function (feature) {
      var props = feature.properties;
      seen.add(feature.id);
      var marker = markers.get(feature.id);
      if (!marker) {
        var at = feature.geometry.coordinates;
        marker = L.marker([at[1], at[0]], { icon: icon(props.availability), title: props.name || props.id });
        marker.bindPopup(popup(props));
        markers.set(feature.id, marker);
        added.push(marker);
      } else {
        marker.setIcon(icon(props.availability));
        marker.setPopupContent(popup(props));
      }
    });
    markers.forEach(function (marker, id) {
      if (!seen.has(id)) { clusters.removeLayer(marker); markers.delete(id); }
    });
    clusters.addLayers(added);
    clusters.refreshClusters();
    state.features = collection.features.length;
    state.markers = markers.size;
    summary.textContent = markers.size + (markers.size === 1 ? ' location' : ' locations') + ' · updated ' + new Date().toLocaleTimeString();
  }

  function boundsOf(collection) {
    return L.latLngBounds(collection.features.map(function (f) { return [f.geometry.coordinates[1], f.geometry.coordinates[0]]; }));
  }

  function load(first) {
    var headers = state.etag ? { 'If-None-Match': state.etag } : {};
    return fetch(feedUrl, { headers: headers, cache: 'no-store' }).then(function (res) {
      if (res.status === 304) { state.notModified++; return; }
      if (!res.ok) throw new Error('feed answered ' + res.status);
      state.etag = res.headers.get('ETag');
      return res.json().then(function (collection) {
        // Zoom to the network before adding markers: a zoom after would animate the clusters apart.
        if (first && collection.features.length > 0) map.fitBounds(boundsOf(collection), { padding: [40, 40], maxZoom: 15, animate: false });
        show(collection);
      });
    }).catch(function (error) { state.error = String(error); }).then(function () {
      state.refreshes++;
      window.setTimeout(load, refreshMs, false);
    });
  }

  var legend = document.getElementById('legend');
  var summary = el('div', 'od-summary', 'Loading…');
  legend.appendChild(summary);
  Object.keys(COLOURS).forEach(function (name) {
    legend.appendChild(el('span', 'od-swatch ' + COLOURS[name]));
    legend.appendChild(document.createTextNode(name.charAt(0) + name.slice(1).toLowerCase()));
  });
  load(true);
})();
