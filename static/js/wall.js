/* The wall screen (大屏): every `data-refresh` seconds read the figures again from `data-source`
   (JSON: texts by key, bars 0–100 by key, short lists) and put them in place; no page reload, no
   inline script or style (CSP). When the server cannot be reached the old figures stay, with a
   notice saying since when. */
(function () {
  "use strict";

  var body = document.body;
  var source = body.dataset.source;
  var seconds = parseInt(body.dataset.refresh, 10) || 60;
  var status = document.getElementById("wall-status");
  var SVG = "http://www.w3.org/2000/svg";

  function bar(width, key) {
    var span = document.createElement("span");
    span.className = "wall-bar";
    if (key) span.dataset.wallBar = key;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 100 1");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    var rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("width", String(width));
    rect.setAttribute("height", "1");
    svg.appendChild(rect);
    span.appendChild(svg);
    return span;
  }

  function span(className, text) {
    var el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    return el;
  }

  function renderList(list, rows) {
    var items = [];
    rows.forEach(function (row) {
      var li = document.createElement("li");
      li.className = "wall-row" + (row.color ? " wall-row--" + row.color : "") + (row.alert ? " wall-row--red" : "");
      li.appendChild(span("wall-row__label", row.label));
      if (row.bar !== undefined) li.appendChild(bar(row.bar));
      var value = span("wall-row__value", row.value);
      if (row.extra !== undefined) {
        var small = document.createElement("small");
        small.textContent = "（" + row.extra + "）";
        value.appendChild(small);
      }
      li.appendChild(value);
      items.push(li);
    });
    if (!items.length && list.dataset.empty) {
      var empty = document.createElement("li");
      empty.className = "wall-row wall-row--empty";
      empty.appendChild(span("wall-row__label", list.dataset.empty));
      items.push(empty);
    }
    list.replaceChildren.apply(list, items);
  }

  function apply(data) {
    Object.keys(data.texts || {}).forEach(function (key) {
      document.querySelectorAll('[data-wall="' + key + '"]').forEach(function (el) {
        el.textContent = data.texts[key];
      });
    });
    Object.keys(data.bars || {}).forEach(function (key) {
      document.querySelectorAll('[data-wall-bar="' + key + '"] rect').forEach(function (rect) {
        rect.setAttribute("width", String(data.bars[key]));
      });
    });
    Object.keys(data.lists || {}).forEach(function (key) {
      var list = document.querySelector('[data-wall-list="' + key + '"]');
      if (list) renderList(list, data.lists[key]);
    });
  }

  var lastGood = null;

  function refresh() {
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (response.redirected || !response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        apply(data);
        lastGood = data.texts && data.texts.updated;
        status.hidden = true;
        body.classList.remove("wall--stale");
      })
      .catch(function () {
        status.textContent = body.dataset.staleMessage + " " + (lastGood || document.querySelector('[data-wall="updated"]').textContent);
        status.hidden = false;
        body.classList.add("wall--stale");
      });
  }

  if (source) window.setInterval(refresh, seconds * 1000);
  window.wallRefresh = refresh;  // the browser tests call it instead of waiting a minute
})();
