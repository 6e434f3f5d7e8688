/* Page behaviour shared by every screen. Loaded with `defer`, after htmx. */
(function () {
  "use strict";

  // htmx leaves the page unchanged when a request fails; say so, in the page's language.
  // The texts come from data attributes rendered through gettext in base.html.
  function showToast(message) {
    var box = document.getElementById("tx-toast");
    if (!box || !window.bootstrap) return;
    box.querySelector(".toast-body").textContent = message;
    window.bootstrap.Toast.getOrCreateInstance(box).show();
  }

  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("tx-toast");
    if (!box) return;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    showToast(status === 404 ? box.dataset.notFound : box.dataset.failed);
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("tx-toast");
    if (box) showToast(box.dataset.offline);
  });

  // When the session has run out, an htmx request is redirected to the login page; show that page
  // whole instead of pasting it into a fragment of the old one.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var url = event.detail.xhr && event.detail.xhr.responseURL;
    if (!url) return;
    var path = new URL(url).pathname;
    if (path.indexOf("/accounts/login/") === 0 || path.indexOf("/accounts/second-factor/") === 0) {
      event.detail.shouldSwap = false;
      window.location.assign(url);
    }
  });

  // Left panel trees: a node's children are fetched once, when it is first expanded; after that
  // the button only shows or hides them. The server answers with the levels the account may see.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".tx-tree-toggle");
    if (!button) return;
    var box = document.getElementById(button.getAttribute("aria-controls"));
    if (!box) return;
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    box.hidden = open;
    if (!open && !box.dataset.loaded && window.htmx) {
      box.dataset.loaded = "1";
      window.htmx.ajax("GET", button.dataset.url, { target: box, swap: "innerHTML" });
    }
  });

  // Tree search: ↓ from the box enters the results, ↑/↓ move between them, Esc goes back.
  document.addEventListener("keydown", function (event) {
    var input = document.getElementById("tx-tree-q");
    var results = document.getElementById("tx-tree-results");
    if (!input || !results) return;
    var hits = Array.prototype.slice.call(results.querySelectorAll(".tx-tree-hit"));
    var index = hits.indexOf(document.activeElement);
    if (event.target === input && event.key === "ArrowDown" && hits.length) {
      event.preventDefault();
      hits[0].focus();
    } else if (index >= 0 && event.key === "ArrowDown") {
      event.preventDefault();
      hits[Math.min(index + 1, hits.length - 1)].focus();
    } else if (index >= 0 && event.key === "ArrowUp") {
      event.preventDefault();
      (index === 0 ? input : hits[index - 1]).focus();
    } else if ((index >= 0 || event.target === input) && event.key === "Escape") {
      input.value = "";
      results.innerHTML = "";
      input.focus();
    }
  });
  document.addEventListener("submit", function (event) {
    // With JavaScript the tree search answers as one types; Enter opens the first result.
    if (!event.target.classList.contains("tx-tree-search")) return;
    var first = document.querySelector("#tx-tree-results .tx-tree-hit");
    if (first) {
      event.preventDefault();
      first.click();
    }
  });

  // Excel exports are built while the user waits (a large list takes seconds): the button says
  // so until the download starts. The server sets the cookie named by the form's token when the
  // file is ready; the button comes back then (or after two minutes, whatever happened).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("tx-export")) return;
    var button = form.querySelector("button[type=submit]");
    var token = String(Date.now()) + Math.random().toString(16).slice(2);
    form.querySelector("input[name=download_token]").value = token;
    button.classList.add("is-busy");
    button.setAttribute("aria-disabled", "true");
    var started = Date.now();
    var timer = window.setInterval(function () {
      var done = document.cookie.indexOf("tx_export=" + token) >= 0;
      if (done || Date.now() - started > 120000) {
        window.clearInterval(timer);
        button.classList.remove("is-busy");
        button.removeAttribute("aria-disabled");
        document.cookie = "tx_export=; Max-Age=0; path=/; SameSite=Lax";
      }
    }, 400);
  });

  // Coverage charts: the numbers come from a json_script block beside the chart, the same
  // numbers as the table next to it (the table is what screen readers use).
  function drawCoverage(el) {
    if (!window.echarts) return;
    var data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var font = getComputedStyle(document.body).fontFamily;
    chart.setOption({
      animation: false,  // still on first paint: weak phones, screenshots and reduced-motion users
      textStyle: { fontFamily: font, fontSize: 14 },
      color: ["#a3111d", "#c9ced4"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, textStyle: { fontSize: 14, color: "#1f2328" } },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, color: "#1f2328", fontSize: 13 } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#1f2328" } },
      series: [
        { name: el.dataset.coveredLabel, type: "bar", stack: "units", data: data.covered, barMaxWidth: 48 },
        { name: el.dataset.uncoveredLabel, type: "bar", stack: "units", data: data.uncovered, barMaxWidth: 48 }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart=coverage]").forEach(drawCoverage);
  });
})();
