/* Issues and site visits: small touches on top of plain forms; every page works without them.
   - The enterprise picker: the search box (shown only with JavaScript) asks the server for
     matches (htmx); picking one selects it in the plain list that the form posts.
   - "Add an instruction" copies a blank row from a <template> instead of posting the page back.
   - A print button. */
(function () {
  "use strict";

  document.querySelectorAll("[data-js-only]").forEach(function (el) {
    el.hidden = false;
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-pick-enterprise]");
    if (option) {
      pickEnterprise(option);
      return;
    }
    var add = event.target.closest("[data-formset-add]");
    if (add && document.getElementById("instruction-template")) {
      event.preventDefault();
      addInstructionRow(add.form);
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  function pickEnterprise(option) {
    var picker = option.closest("[data-picker]");
    var select = picker.querySelector("select");
    var id = option.dataset.pickEnterprise;
    var existing = Array.prototype.find.call(select.options, function (o) {
      return o.value === id;
    });
    if (!existing) {
      existing = new Option(option.dataset.name, id);
      select.add(existing);
    }
    select.value = id;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    var search = picker.querySelector("input[type=search]");
    search.value = option.dataset.name;
    picker.querySelector(".picker__suggestions").innerHTML = "";
    select.focus();
  }

  function addInstructionRow(form) {
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var index = parseInt(total.value, 10) || 0;
    var html = document
      .getElementById("instruction-template")
      .innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var rows = form.querySelector("[data-formset-rows]");
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = rows.lastElementChild;
    row.scrollIntoView({ block: "start", behavior: "smooth" });
    var first = row.querySelector("textarea, input, select");
    if (first) first.focus({ preventScroll: true });
  }
})();
