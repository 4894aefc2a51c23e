/* The battle map (挂图作战) and the project page's location map, drawn with Leaflet
 * (static/vendor/leaflet).
 *
 * Each [data-map] element names the json_script holding its data: parks' boundaries and
 * project points (already in the datum of the background), an optional tile server
 * (MAP_TILE_URL: without it nothing but the app's own data is drawn, so the map works on an
 * intranet with no internet), and whether a click places the point of a form
 * ([data-map-form]: fills its latitude / longitude and sets its datum to the map's).
 * Popups are built from text nodes only: names are data, never markup.
 */
(function () {
  "use strict";

  var DEFAULT_CENTER = [34.37, 118.35];
  window.trackerMaps = window.trackerMaps || {};

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function popup(point) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("p");
    title.className = "map-popup__title";
    title.appendChild(point.url ? link(point.url, point.name) : document.createTextNode(point.name));
    box.appendChild(title);
    (point.lines || []).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    return box;
  }

  function draw(element) {
    var holder = document.getElementById(element.dataset.map);
    if (!holder || typeof window.L === "undefined" || element.dataset.ready === "true") {
      return;
    }
    var data = JSON.parse(holder.textContent);
    var tile = data.tile || {};
    var map = window.L.map(element, {
      attributionControl: Boolean(tile.url),
      maxZoom: tile.maxZoom || 18,
      zoomSnap: 0.5
    });
    if (tile.url) {
      window.L.tileLayer(tile.url, { attribution: tile.attribution || "", maxZoom: tile.maxZoom || 18 }).addTo(map);
    } else {
      element.classList.add("map--plain");
    }
    window.L.control.scale({ imperial: false }).addTo(map);
    // A view first: permanent labels and markers need one before they are added.
    map.setView(data.center || DEFAULT_CENTER, data.zoom || 12);
    var bounds = window.L.latLngBounds([]);

    var parks = window.L.geoJSON({ type: "FeatureCollection", features: data.parks || [] }, {
      style: { color: "#4a5d78", weight: 2, dashArray: "6 4", fillColor: "#dfe7f2", fillOpacity: 0.55 },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.short_name || feature.properties.name, {
          permanent: true, direction: "center", className: "map-park-label"
        });
      }
    }).addTo(map);
    if (parks.getLayers().length) {
      bounds.extend(parks.getBounds());
    }
    if (data.site) {
      var site = window.L.geoJSON(data.site, { style: { color: "#0b4aa2", weight: 2, fillOpacity: 0.15 } }).addTo(map);
      bounds.extend(site.getBounds());
    }

    var marker = null;
    (data.points || []).forEach(function (point) {
      var layer = window.L.circleMarker([point.lat, point.lng], {
        radius: point.radius || 9,
        color: "#ffffff",
        weight: 2,
        fillColor: point.color || "#0b4aa2",
        fillOpacity: 0.95
      }).addTo(map);
      layer.bindPopup(popup(point));
      if (point.id) {
        layer.getElement().setAttribute("data-project", point.id);
      }
      layer.getElement().setAttribute("aria-label", point.name);
      bounds.extend(layer.getLatLng());
      marker = marker || layer;
    });

    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.15), { maxZoom: 16, animate: false });
    }

    var form = element.dataset.mapForm && document.getElementById(element.dataset.mapForm);
    if (form) {
      element.classList.add("map--picker");
      map.on("click", function (event) {
        var lat = event.latlng.lat.toFixed(7);
        var lng = window.L.Util.wrapNum(event.latlng.lng, [-180, 180], true).toFixed(7);
        form.querySelector("[name=latitude]").value = lat;
        form.querySelector("[name=longitude]").value = lng;
        var datum = form.querySelector("[name=datum][value=" + (tile.datum || "wgs84") + "]");
        if (datum) {
          datum.checked = true;
        }
        var details = form.closest("details");
        if (details) {
          details.open = true;
        }
        if (marker) {
          marker.setLatLng(event.latlng);
        } else {
          marker = window.L.circleMarker(event.latlng, {
            radius: 9, color: "#ffffff", weight: 2, fillColor: "#0b4aa2", fillOpacity: 0.95
          }).addTo(map);
        }
      });
    }
    window.trackerMaps[element.dataset.map] = map;
    element.dataset.ready = "true";
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  // The project page's forms are swapped in by htmx: draw the maps of the new content.
  document.addEventListener("htmx:afterSettle", drawAll);
})();
