"use strict";
// The library picker that the body editor's figure dialog opens ("Browse..."): a click on a
// picture hands its address and alt text back to the editor, then closes the popup. The editor
// listens through a CKEditor-style shim, window.opener.CKEDITOR.tools.callFunction(n, url, data).
(function () {
  function editorCallback(funcNum) {
    if (!/^-?\d+$/.test(funcNum)) {
      return null;
    }
    try {
      const tools = window.opener && window.opener.CKEDITOR && window.opener.CKEDITOR.tools;
      return tools && typeof tools.callFunction === "function"
        ? (url, data) => tools.callFunction(Number(funcNum), url, data)
        : null;
    } catch {
      // An opener on another origin may not be read at all.
      return null;
    }
  }

  function setUp(picker) {
    const hand = editorCallback(picker.dataset.funcNum || "");
    if (!hand) {
      picker.querySelector(".image-picker__no-editor").hidden = false;
      picker.querySelectorAll(".image-picker__choice").forEach((choice) => {
        choice.disabled = true;
      });
      return;
    }
    picker.addEventListener("click", (event) => {
      const choice = event.target.closest(".image-picker__choice");
      if (!choice) {
        return;
      }
      // The keys the editor's shim reads: it fills the dialog's alt text and caption fields.
      hand(choice.dataset.url, {
        id: Number(choice.dataset.id),
        alternative_text: choice.dataset.alt,
        caption: choice.dataset.caption,
      });
      window.close();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-image-picker]").forEach(setUp);
  });
})();
