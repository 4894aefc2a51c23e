/* Forms that prevent errors, on every page (base.html loads this file; every form works without it).
   - Dependent choices: a <select data-depends-on="NAME" data-options-url="URL"> lists the choices
     for the value of the field NAME in the same form, read from URL?department=VALUE (JSON
     {"results": [{"id", "label"}]}) whenever that field changes. The server checks again.
   - Inline validation: a field marked invalid (by the server, or here) loses its red styling and
     its message as soon as the value is put right; a value the browser can already tell is wrong
     (a date or number out of range, bad format, too long) is marked when the user leaves the field,
     in the field's one error list, never a second one. Messages come from <body data-msg-*>. */
(function () {
  "use strict";

  var body = document.body;

  // --- Dependent choices ----------------------------------------------------------------------

  function refreshChoices(select) {
    var control = select.form && select.form.elements.namedItem(select.dataset.dependsOn);
    if (!control) return;
    var value = control.value;
    var blank = select.querySelector("option[value='']");
    var keep = select.value;
    function fill(results) {
      Array.from(select.options).forEach(function (option) {
        if (option !== blank) option.remove();
      });
      results.forEach(function (item) {
        select.add(new Option(item.label, String(item.id)));
      });
      var still = results.some(function (item) {
        return String(item.id) === keep;
      });
      select.value = still ? keep : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (!value) {
      fill([]);
      return;
    }
    select.setAttribute("aria-busy", "true");
    var url = select.dataset.optionsUrl + "?department=" + encodeURIComponent(value);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        fill(data.results || []);
      })
      .catch(function () {
        /* Leave the list as it was: the server still refuses a mismatch, on the field. */
      })
      .finally(function () {
        select.removeAttribute("aria-busy");
      });
  }

  // --- Inline validation ----------------------------------------------------------------------

  function fieldOf(control) {
    return control.closest(".field, .filters__search");
  }

  function errorListOf(field) {
    return field.querySelector(".errorlist");
  }

  function isFilled(control) {
    if (control.type === "checkbox" || control.type === "radio") {
      var group = control.form ? control.form.elements.namedItem(control.name) : null;
      var items = group && group.length !== undefined && !group.tagName ? Array.from(group) : [control];
      return items.some(function (item) {
        return item.checked;
      });
    }
    if (control.type === "file") return control.files && control.files.length > 0;
    return control.value.trim() !== "";
  }

  function messageFor(control) {
    var v = control.validity;
    var msg = body.dataset;
    if (v.valueMissing) return msg.msgRequired;
    if (v.rangeUnderflow) return (msg.msgMin || "").replace("%s", control.min);
    if (v.rangeOverflow) return (msg.msgMax || "").replace("%s", control.max);
    if (v.tooLong) return (msg.msgTooLong || "").replace("%s", control.maxLength);
    if (v.stepMismatch) return msg.msgStep;
    return msg.msgFormat;
  }

  function clearError(field, control) {
    field.classList.remove("field--invalid");
    var list = errorListOf(field);
    if (list) list.hidden = true;
    field.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
    if (control) control.setCustomValidity("");
  }

  function showError(field, control, message) {
    field.classList.add("field--invalid");
    var list = errorListOf(field);
    if (!list) {
      list = document.createElement("ul");
      list.className = "errorlist";
      list.id = (control.id || control.name) + "_errors";
      var help = field.querySelector(".help");
      field.insertBefore(list, help);
    }
    list.replaceChildren();
    var item = document.createElement("li");
    item.textContent = message;
    list.appendChild(item);
    list.hidden = false;
    control.setAttribute("aria-invalid", "true");
    var described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(list.id) === -1) {
      described.push(list.id);
      control.setAttribute("aria-describedby", described.join(" "));
    }
  }

  function isFormControl(el) {
    return el && el.form && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && el.type !== "hidden";
  }

  // Typing or choosing: a field shown as wrong is cleared once its value is acceptable.
  function onEdit(event) {
    var control = event.target;
    if (!isFormControl(control)) return;
    var field = fieldOf(control);
    if (!field || !field.classList.contains("field--invalid")) return;
    var required = control.required || field.querySelector("[required]");
    if (control.checkValidity() && (!required || isFilled(control))) clearError(field, control);
  }

  document.addEventListener("input", onEdit);
  document.addEventListener("change", function (event) {
    onEdit(event);
    var control = event.target;
    if (!isFormControl(control)) return;
    control.form.querySelectorAll("select[data-depends-on]").forEach(function (select) {
      if (select.dataset.dependsOn === control.name) refreshChoices(select);
    });
  });

  // Leaving a field with a value the browser already knows is wrong: say so now, in its one list.
  document.addEventListener("focusout", function (event) {
    var control = event.target;
    if (!isFormControl(control) || control.type === "checkbox" || control.type === "radio") return;
    var field = fieldOf(control);
    if (!field || !isFilled(control) && !(control.validity && control.validity.badInput)) return;
    if (!control.checkValidity()) showError(field, control, messageFor(control));
  });

  // "Tick all on this page": every row checkbox that belongs to the named form.
  document.addEventListener("change", function (event) {
    var all = event.target.closest && event.target.closest("[data-select-all]");
    if (!all) return;
    document.querySelectorAll('input[type="checkbox"][form="' + all.dataset.selectAll + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  // Choices that depend on a value the server already filled in (a form shown again) stay as
  // the server rendered them; nothing to do on load.
})();
