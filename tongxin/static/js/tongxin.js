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
