/* Three-rate scores page charts. Data comes from the json_script element named by data-source:
 * data-chart="composite" becomes a bar chart of the composite score per unit (a click opens the
 * unit's appeals), data-chart="trend" a 12-month line chart of the three rates and the composite.
 * The drawing, redrawing and resizing are jiayuan/charts.js's. */
(function () {
  "use strict";

  var RED = "#b71c1c", ORANGE = "#e07a2f", BLUE = "#3b6fb6", GREEN = "#1b7f3b", GREY = "#9e9e9e";

  function percent(v) { return v === null || v === undefined ? "–" : v.toFixed(1) + "%"; }

  function compositeOption(data) {
    var many = data.units.length > 8, crowded = data.units.length > 30;
    var option = {
      animation: false,
      grid: { left: 48, right: 24, top: 24, bottom: many ? 96 : 40 },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (items) {
          var i = items[0].dataIndex;
          return data.units[i] + "<br>" + data.labels.composite + ": " +
            (data.ranked[i] ? data.composite[i].toFixed(2) : data.labels.unranked);
        }
      },
      xAxis: {
        type: "category", data: data.units,
        axisLabel: { interval: crowded ? "auto" : 0, rotate: many ? 40 : 0, fontSize: 12 },
        axisTick: { alignWithLabel: true }
      },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [{
        name: data.labels.composite, type: "bar", barMaxWidth: 28,
        data: data.composite.map(function (v, i) {
          return { value: v, itemStyle: { color: data.ranked[i] ? RED : GREY } };
        })
      }]
    };
    if (crowded) {
      option.dataZoom = [{ type: "inside" }, { type: "slider", height: 16, bottom: 4 }];
    }
    return option;
  }

  function trendOption(data) {
    var t = data.trend;
    return {
      animation: false,
      color: [RED, BLUE, GREEN, ORANGE],
      grid: { left: 48, right: 48, top: 56, bottom: 40 },
      legend: { top: 0, left: "center" },
      tooltip: { trigger: "axis", valueFormatter: percent },
      xAxis: { type: "category", data: t.months, axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: data.labels.composite, type: "line", data: t.composite, connectNulls: false, lineStyle: { width: 3 } },
        { name: data.labels.response, type: "line", data: t.response, connectNulls: false },
        { name: data.labels.resolution, type: "line", data: t.resolution, connectNulls: false },
        { name: data.labels.satisfaction, type: "line", data: t.satisfaction, connectNulls: false }
      ]
    };
  }

  var builders = { composite: compositeOption, trend: trendOption };

  function bindUnitLinks(chart, urls) {
    chart.on("click", function (params) {
      var url = urls[params.dataIndex];
      if (url) { window.location.assign(url); }
    });
  }

  window.JiayuanCharts.mount(builders, function (chart, el, data) {
    if (el.dataset.chart === "composite") { bindUnitLinks(chart, data.urls); }
  });
}());
