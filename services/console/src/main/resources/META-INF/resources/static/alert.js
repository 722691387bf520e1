// The alert page's chart: the device's readings around the alert (telemetry's series) with the
// rule's thresholds drawn and the moment the alert opened marked. Drawn again after an action
// reads the page's main part again.
(() => {
  function draw() {
    const box = document.getElementById("chart");
    const data = document.getElementById("chart-data");
    if (!box || !data) return;
    const chart = JSON.parse(data.textContent);
    const existing = echarts.getInstanceByDom(box);
    if (existing) existing.dispose();
    const instance = echarts.init(box, "dark", { renderer: "canvas" });
    instance.setOption({
      backgroundColor: "transparent",
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 96, top: 24, bottom: 32 },
      xAxis: { type: "time" },
      yAxis: { type: "value", name: chart.metric, scale: true },
      series: [{
        name: chart.metric,
        type: "line",
        showSymbol: chart.points.length < 60,
        data: chart.points,
        markLine: {
          symbol: "none",
          data: chart.thresholds.map((t) => ({ yAxis: t.value, name: t.name,
            label: { formatter: t.name + " " + t.value },
            lineStyle: { color: t.name.startsWith("CRITICAL") ? "#ff4d4f" : "#f5a623", type: "dashed" } }))
            .concat([{ xAxis: chart.openedAt, name: "opened", label: { formatter: "▲" }, lineStyle: { color: "#8fa1b3" } }]),
        },
      }],
    });
    window.addEventListener("resize", () => instance.resize());
  }
  draw();
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "alert-main") draw();
  });
})();
