"use strict";
// Accessible names, and valid ARIA to carry them, for what the admin's scripts build: the
// rich-text editor's editable area (Tiptap), the autocomplete boxes (select2), the two-box
// pickers' filter icons (SelectFilter2) and the table rows that "Add another" copies. A name
// comes from the label, or the aria-label, of the form control that a widget stands in for.
(function () {
  function nameOf(control) {
    const label = control.labels && control.labels[0];
    const text = label ? label.textContent.trim().replace(/:$/, "") : "";
    return text || control.getAttribute("aria-label") || "";
  }

  // The rich-text editor hides its textarea (which has the label) and edits in a <div>. Its
  // module scripts come after this one, so none is ready yet.
  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    editor.view.dom.setAttribute("aria-label", nameOf(textarea));
  });

  // select2 puts its box just after the <select> it hides.
  function boxOf(select) {
    const container = select.nextElementSibling;
    return container && container.classList.contains("select2")
      ? container.querySelector(".select2-selection")
      : null;
  }

  function nameAutocomplete(select) {
    const box = boxOf(select);
    if (!box) return;
    const name = nameOf(select);
    // select2 names a single box after the choice it shows, which is nothing until one is made.
    box.removeAttribute("aria-labelledby");
    box.setAttribute("aria-label", name);
    const shown = box.querySelector(".select2-selection__rendered[role=textbox]");
    if (shown) {
      // The choice shown is the box's value, not a text box of its own.
      shown.removeAttribute("role");
      shown.removeAttribute("aria-readonly");
    }
    // A multiple box is typed into, in a search field of its own.
    const search = box.querySelector(".select2-search__field");
    if (search) search.setAttribute("aria-label", name);
    // The "×" that empties the box is for the mouse (Backspace does it from the keyboard); it
    // is also a <span> in a multiple box's <ul>. select2 draws it anew on every change.
    for (const clear of box.querySelectorAll(".select2-selection__clear")) {
      clear.setAttribute("aria-hidden", "true");
    }
  }

  // A copied row's boxes say which row they are in: "Position of byline 3".
  function numberRows(prefix) {
    const rows = document.querySelectorAll(`.dynamic-${CSS.escape(prefix)}`);
    rows.forEach((row, index) => {
      for (const control of row.querySelectorAll("[data-row-label]")) {
        control.setAttribute("aria-label", control.dataset.rowLabel.replace("{n}", index + 1));
      }
      for (const select of row.querySelectorAll("select.admin-autocomplete")) {
        nameAutocomplete(select);
      }
    });
  }

  const $ = window.django && window.django.jQuery;
  const build = $ && $.fn.djangoAdminSelect2;
  if (build) {
    // autocomplete.js builds every box through this plugin, on "ready" and for each copied
    // row; it has defined it by now (it is not deferred) and not yet used it.
    $.fn.djangoAdminSelect2 = function (...args) {
      const built = build.apply(this, args);
      this.each((_, select) => nameAutocomplete(select));
      return built;
    };
    $(document).on("change", "select.admin-autocomplete", (event) => {
      nameAutocomplete(event.target);
    });
    // The open list: select2 4.0 points to it with aria-owns only, where a combobox needs
    // aria-controls, and its search field (single boxes) has no name.
    $(document).on("select2:open", "select.admin-autocomplete", (event) => {
      const box = boxOf(event.target);
      const list = box && document.getElementById(box.getAttribute("aria-owns"));
      if (!list) return;
      box.setAttribute("aria-controls", list.id);
      list.setAttribute("aria-label", nameOf(event.target));
      const search = list.closest(".select2-dropdown").querySelector(".select2-search__field");
      if (search) search.setAttribute("aria-label", nameOf(event.target));
    });
    $(document).on("select2:close", "select.admin-autocomplete", (event) => {
      const box = boxOf(event.target);
      if (box) box.removeAttribute("aria-controls");
    });
  }
  // After autocomplete.js's own handler (added first), which builds the copied row's boxes.
  document.addEventListener("formset:added", (event) => numberRows(event.detail.formsetName));
  document.addEventListener("formset:removed", (event) => numberRows(event.detail.formsetName));

  // SelectFilter2 names its magnifier icon with aria-label, which a plain <span> may not
  // carry; as an image it may, and the filter box keeps that name through its <label>.
  // SelectFilter2 builds the pickers on "load", in a handler added before this one.
  window.addEventListener("load", () => {
    for (const icon of document.querySelectorAll(".selector .search-label-icon[aria-label]")) {
      icon.setAttribute("role", "img");
    }
  });
})();
