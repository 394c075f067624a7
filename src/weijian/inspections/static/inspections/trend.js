// The unit history page: one line per checklist template, monthly average scores.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("trend");
  if (!box || !window.echarts) return;
  var data = JSON.parse(document.getElementById("trend-data").textContent);
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months, axisLabel: { formatter: function (v) { return v.replace(/^\d{4}年/, ""); } } },
    yAxis: { type: "value", scale: true, name: "分" },
    series: data.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: true, symbolSize: 7 }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
