/* The image library's focal-point picker: a click on the picture sets the two
   percentage fields (which stay editable, for the keyboard) and moves the marker;
   typing in the fields moves the marker too. */
"use strict";
(function () {
  function setUp(picker) {
    var image = picker.querySelector(".focal-image");
    var marker = picker.querySelector(".focal-marker");
    var x = document.getElementById("id_focal_x");
    var y = document.getElementById("id_focal_y");
    if (!image || !marker || !x || !y) return;

    function place() {
      var px = Math.min(100, Math.max(0, parseInt(x.value, 10) || 0));
      var py = Math.min(100, Math.max(0, parseInt(y.value, 10) || 0));
      marker.style.left = px + "%";
      marker.style.top = py + "%";
    }

    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      if (!box.width || !box.height) return;
      x.value = Math.round(((event.clientX - box.left) / box.width) * 100);
      y.value = Math.round(((event.clientY - box.top) / box.height) * 100);
      x.value = Math.min(100, Math.max(0, x.value));
      y.value = Math.min(100, Math.max(0, y.value));
      [x, y].forEach(function (field) {
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
      place();
    });
    x.addEventListener("input", place);
    y.addEventListener("input", place);
  }

  function start() {
    document.querySelectorAll("[data-focal-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
