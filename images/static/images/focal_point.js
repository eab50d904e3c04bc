"use strict";
// The focal-point picker on the image admin: a click on the picture writes the point into the
// focal_x and focal_y inputs, which stay visible for anyone who would rather type.
(function () {
  function fraction(value) {
    const number = Number.parseFloat(value);
    return Number.isFinite(number) ? Math.min(Math.max(number, 0), 1) : 0.5;
  }

  function setUp(picker) {
    const xInput = document.getElementById(picker.dataset.xInput);
    const yInput = document.getElementById(picker.dataset.yInput);
    const fileInput = document.getElementById(picker.dataset.fileInput);
    const frame = picker.querySelector(".focal-point__frame");
    const image = picker.querySelector(".focal-point__image");
    const marker = picker.querySelector(".focal-point__marker");
    if (!xInput || !yInput || !image || !marker) {
      return;
    }

    function showPoint() {
      marker.style.left = `${fraction(xInput.value) * 100}%`;
      marker.style.top = `${fraction(yInput.value) * 100}%`;
    }

    image.addEventListener("click", (event) => {
      const box = image.getBoundingClientRect();
      xInput.value = fraction((event.clientX - box.left) / box.width).toFixed(3);
      yInput.value = fraction((event.clientY - box.top) / box.height).toFixed(3);
      showPoint();
    });
    xInput.addEventListener("input", showPoint);
    yInput.addEventListener("input", showPoint);

    // A newly chosen file is previewed at once, so the point can be set before saving.
    if (fileInput) {
      fileInput.addEventListener("change", () => {
        const file = fileInput.files && fileInput.files[0];
        if (!file) {
          return;
        }
        image.removeAttribute("width");
        image.removeAttribute("height");
        image.src = URL.createObjectURL(file);
        frame.hidden = false;
      });
    }
    showPoint();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-focal-point]").forEach(setUp);
  });
})();
