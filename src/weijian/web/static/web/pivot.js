/* 数据透视: draws the charts described by the JSON blob #pivot-charts with ECharts. */
(function () {
  "use strict";
  var blob = document.getElementById("pivot-charts");
  if (!blob || typeof echarts === "undefined") return;
  var specs = JSON.parse(blob.textContent);
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  // Who asked the system for less motion gets the charts drawn at once.
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  specs.forEach(function (spec, i) {
    var el = document.getElementById("pivot-chart-" + i);
    if (!el || !spec.series.length) return;
    var chart = echarts.init(el);
    chart.setOption({
      animation: !still,
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30, containLabel: true },
      xAxis: {
        type: "category",
        data: spec.x,
        axisLabel: spec.type === "bar" ? { interval: 0, rotate: spec.x.length > 8 ? 30 : 0 }
                                       : { hideOverlap: true }
      },
      yAxis: { type: "value", scale: spec.type === "line" },
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.type, data: s.data, connectNulls: false };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
