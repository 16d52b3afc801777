/* The chart lifecycle shared by the pages with ECharts (coverage dashboard, three-rate scores).
 *
 *   JiayuanCharts.mount({rates: buildRatesOption, ...}, function onDrawn(chart, el, data) {...});
 *
 * Every element with data-chart="NAME" becomes a chart built by builders[NAME] from the JSON of
 * the json_script element its data-source names. Containers marked data-charts start hidden, so a
 * browser without JavaScript shows only the tables. Charts are redrawn after htmx swaps and
 * resized with the window. */
window.JiayuanCharts = (function () {
  "use strict";

  function readData(el) {
    var source = document.getElementById(el.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  function mount(builders, onDrawn) {
    function draw(root) {
      if (typeof window.echarts === "undefined") { return; }
      root.querySelectorAll("[data-charts][hidden]").forEach(function (el) { el.hidden = false; });
      root.querySelectorAll("[data-chart]").forEach(function (el) {
        if (window.echarts.getInstanceByDom(el)) { return; }
        var data = readData(el), build = builders[el.dataset.chart];
        if (!data || !build) { return; }
        var chart = window.echarts.init(el);
        chart.setOption(build(data));
        if (onDrawn) { onDrawn(chart, el, data); }
        el.dataset.rendered = "true";
      });
    }

    function dispose(root) {
      if (typeof window.echarts === "undefined" || !root) { return; }
      root.querySelectorAll("[data-chart]").forEach(function (el) {
        var chart = window.echarts.getInstanceByDom(el);
        if (chart) { chart.dispose(); }
      });
    }

    function resize() {
      if (typeof window.echarts === "undefined") { return; }
      document.querySelectorAll("[data-chart]").forEach(function (el) {
        var chart = window.echarts.getInstanceByDom(el);
        if (chart) { chart.resize(); }
      });
    }

    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { draw(document); });
    } else {
      draw(document);
    }
    document.body.addEventListener("htmx:beforeSwap", function (event) { dispose(event.detail.target); });
    document.body.addEventListener("htmx:afterSettle", function () { draw(document); });
    window.addEventListener("resize", resize);
  }

  return { mount: mount };
}());
