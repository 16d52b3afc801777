/* Coverage dashboard charts. Data comes from a json_script element named by data-source;
 * each element with data-chart="rates" or data-chart="counts" becomes an ECharts bar chart.
 * Clicking a bar opens that region's dashboard.
 * The drawing, redrawing and resizing are jiayuan/charts.js's. */
(function () {
  "use strict";

  var RED = "#b71c1c", ORANGE = "#e07a2f", BLUE = "#3b6fb6", GREEN = "#1b7f3b";

  function categoryAxis(data) {
    return {
      type: "category",
      data: data.categories,
      axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 35 : 0, fontSize: 12 },
      axisTick: { alignWithLabel: true }
    };
  }

  function base(data) {
    return {
      animation: false,
      grid: { left: 56, right: 56, top: 76, bottom: data.categories.length > 6 ? 90 : 40, containLabel: false },
      legend: { top: 0, left: "center" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: categoryAxis(data)
    };
  }

  function ratesOption(data) {
    var option = base(data);
    option.color = [RED, BLUE];
    option.tooltip.valueFormatter = function (v) { return v.toFixed(1) + "%"; };
    option.yAxis = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
    option.series = [
      { name: data.labels.party_org_rate, type: "bar", data: data.party_org_rate, barMaxWidth: 28 },
      { name: data.labels.committee_rate, type: "bar", data: data.committee_rate, barMaxWidth: 28 }
    ];
    return option;
  }

  function countsOption(data) {
    var option = base(data);
    option.color = [RED, ORANGE, GREEN];
    option.yAxis = [
      { type: "value", name: data.labels.compounds_axis, minInterval: 1, nameGap: 12 },
      { type: "value", name: data.labels.people_axis, minInterval: 1, nameGap: 12, splitLine: { show: false } }
    ];
    option.series = [
      { name: data.labels.yijiantiao, type: "bar", data: data.yijiantiao, barMaxWidth: 22 },
      { name: data.labels.red_committees, type: "bar", data: data.red_committees, barMaxWidth: 22 },
      { name: data.labels.building_heads, type: "bar", yAxisIndex: 1, data: data.building_heads, barMaxWidth: 22,
        itemStyle: { color: GREEN, opacity: 0.75 } }
    ];
    return option;
  }

  var builders = { rates: ratesOption, counts: countsOption };

  /* A click anywhere in a region's column (not only on a bar, which may be 0 high) opens that region. */
  function bindDrillDown(chart, urls) {
    var zr = chart.getZr();
    function urlAt(event) {
      var point = [event.offsetX, event.offsetY];
      if (!chart.containPixel({ gridIndex: 0 }, point)) { return null; }
      var index = Math.round(chart.convertFromPixel({ xAxisIndex: 0 }, point[0]));
      return urls[index] || null;
    }
    zr.on("click", function (event) {
      var url = urlAt(event);
      if (url) { window.location.assign(url); }
    });
    zr.on("mousemove", function (event) {
      if (urlAt(event)) { zr.setCursorStyle("pointer"); }
    });
  }

  window.JiayuanCharts.mount(builders, function (chart, el, data) { bindDrillDown(chart, data.urls); });
}());
