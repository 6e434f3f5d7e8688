/* 同心 phone site: the large-text switch, the resend countdown, and remembering that a resident
   changed the suggested category by hand. No framework: a weak phone
   parses this in a millisecond, and the pages work without it. */
(function () {
  "use strict";
  var KEY = "tx-large-text";
  var root = document.documentElement;

  function store(on) {
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: not kept */ }
  }

  document.querySelectorAll("[data-large-text]").forEach(function (button) {
    button.setAttribute("aria-pressed", root.classList.contains("tx-large") ? "true" : "false");
    button.addEventListener("click", function () {
      var on = root.classList.toggle("tx-large");
      store(on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  });

  document.querySelectorAll("[data-countdown]").forEach(function (button) {
    var left = parseInt(button.getAttribute("data-countdown"), 10) || 0;
    if (left <= 0) return;
    var ready = button.getAttribute("data-ready-label") || button.textContent;
    var label = button.getAttribute("data-wait-label");
    var tick = function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        button.disabled = false;
        button.textContent = ready;
      } else {
        button.textContent = label.replace("__N__", left);
      }
    };
    var timer = setInterval(tick, 1000);
  });

  // Once the resident picks a category or 急 themself, later suggestions (htmx, while typing)
  // show but no longer overwrite the choice. Delegated: the choices are swapped in and out.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || !target.matches) return;
    if (target.matches("[data-choice]")) {
      var chosen = document.getElementById("id_chosen");
      if (chosen) chosen.value = "1";
    }
    // The photo buttons hide the browser's own "no file chosen": say how many were picked.
    if (target.matches("input[type=file][data-picked]")) {
      var count = target.parentNode.querySelector(".m-file-count");
      var n = target.files ? target.files.length : 0;
      if (count) count.textContent = n ? target.getAttribute("data-picked").replace("__N__", n) : "";
    }
  });
})();
