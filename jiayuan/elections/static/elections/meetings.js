/* Owners' general meeting pages.
 * - On the ballot, a fieldset with data-seats counts the candidates marked "agree" and warns when more than
 *   the seats are (the server refuses such a ballot too; this only saves a round trip).
 * - On the result page, data-chart="choices" draws the owners agreeing, against and abstaining per motion
 *   (jiayuan/charts.js draws it; without JavaScript the tables hold every figure). */
(function () {
  "use strict";

  function countAgree(fieldset) {
    var seats = parseInt(fieldset.dataset.seats, 10);
    var shown = fieldset.querySelector("[data-agree-count]");
    if (!shown || isNaN(seats)) { return; }
    var agreed = fieldset.querySelectorAll("input[type=radio][value=agree]:checked").length;
    shown.hidden = false;
    shown.querySelector("strong").textContent = agreed + " / " + seats;
    shown.classList.toggle("over", agreed > seats);
  }

  function setUpBallot() {
    document.querySelectorAll("fieldset[data-seats]").forEach(function (fieldset) {
      fieldset.addEventListener("change", function () { countAgree(fieldset); });
      countAgree(fieldset);
    });
  }

  function choicesOption(data) {
    return {
      animation: false,
      color: ["#1b7f3b", "#b71c1c", "#9e9e9e"],
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.motions, inverse: true,
               axisLabel: { width: 160, overflow: "truncate" } },
      series: ["agree", "against", "abstain"].map(function (key) {
        return { name: data.labels[key], type: "bar", stack: "owners", data: data[key], barMaxWidth: 28 };
      })
    };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpBallot);
  } else {
    setUpBallot();
  }
  if (window.JiayuanCharts && document.querySelector("[data-chart=choices]")) {
    window.JiayuanCharts.mount({ choices: choicesOption });
  }
}());
