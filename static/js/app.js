/* Small touches on top of plain forms; every page works without this file.
   After htmx swaps the page content in, bring what matters into view: the first field with an
   error, else the message at the top. A server error is not swapped in (its page has none of
   ours): say so instead of failing silently. */
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "content") return;
    var invalid = document.querySelector("#content .field--invalid, #content .alert-error");
    if (invalid) {
      invalid.scrollIntoView({ block: "center" });
      var input = invalid.querySelector("input, select, textarea");
      if (input) input.focus({ preventScroll: true });
      return;
    }
    var messages = document.getElementById("messages");
    (messages || document.getElementById("content")).scrollIntoView({ block: "start" });
  });

  // Filter forms: leave empty fields out of the URL, so it stays short enough to share.
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (event.detail.verb !== "get" || !data) return;
    Array.from(new Set(data.keys())).forEach(function (key) {
      if (data.getAll(key).every(function (value) { return value === ""; })) data.delete(key);
    });
  });

  // A notice that can be hidden (e.g. the missing holiday schedule): hidden for good on this
  // device once dismissed, per notice key (a new key, e.g. another year, shows again).
  function setUpDismissible() {
    document.querySelectorAll("[data-dismiss-key]").forEach(function (notice) {
      var key = "dismissed:" + notice.dataset.dismissKey;
      var stored = null;
      try { stored = window.localStorage.getItem(key); } catch (e) { stored = null; }
      if (stored) { notice.hidden = true; return; }
      var button = notice.querySelector("[data-dismiss]");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        notice.hidden = true;
        try { window.localStorage.setItem(key, "1"); } catch (e) { /* private mode: hide for this page only */ }
      });
    });
  }

  // The main menu: on a narrow screen it scrolls sideways; bring the current entry into view.
  function showCurrentTab() {
    var current = document.querySelector(".site-nav [aria-current=page]");
    var nav = current && current.parentElement;
    if (!nav || nav.scrollWidth <= nav.clientWidth) return;
    var left = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
    nav.scrollLeft = Math.max(0, left);
  }

  function onReady() {
    setUpDismissible();
    showCurrentTab();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onReady);
  else onReady();

  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status >= 500) window.alert(document.body.dataset.errorMessage);
  });

  document.addEventListener("htmx:sendError", function () {
    window.alert(document.body.dataset.errorMessage);
  });
})();
