// The cockpit's charts, from the figures the page carries (see CockpitPage): alerts opened per
// day by kind, median minutes to acknowledge and to close per area, on-time rate of each stage
// per area. The table under them holds the same figures.
(() => {
  const data = JSON.parse(document.getElementById("cockpit-data").textContent);
  const base = { backgroundColor: "transparent", animation: false, tooltip: { trigger: "axis" },
    legend: { top: 0, textStyle: { color: "#8fa1b3" } }, grid: { left: 48, right: 16, top: 40, bottom: 40 } };
  const charts = [];
  // A chart with nothing to show says so, rather than drawing empty axes.
  function chart(id, option, empty) {
    const box = document.getElementById(id);
    const instance = echarts.init(box, "dark");
    const title = empty ? { title: { text: box.dataset.empty, left: "center", top: "middle",
      textStyle: { color: "#8fa1b3", fontSize: 14, fontWeight: "normal" } } } : {};
    instance.setOption(Object.assign({}, base, option, title));
    charts.push(instance);
  }
  chart("chart-alerts", {
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", minInterval: 1 },
    series: data.kinds.map((k) => ({ name: k.kind, type: "bar", stack: "opened", data: k.opened })),
  }, data.kinds.length === 0);
  const names = data.areas.map((a) => a.name);
  chart("chart-response", {
    xAxis: { type: "category", data: names },
    yAxis: { type: "value", name: "min" },
    series: [
      { name: document.getElementById("chart-response").dataset.ack || "acknowledge", type: "bar",
        data: data.areas.map((a) => a.minutesToAcknowledge) },
      { name: document.getElementById("chart-response").dataset.close || "close", type: "bar",
        data: data.areas.map((a) => a.minutesToClose) },
    ],
  }, data.areas.every((a) => a.minutesToAcknowledge === null && a.minutesToClose === null));
  chart("chart-stages", {
    xAxis: { type: "category", data: data.stages },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value} %" } },
    series: data.areas.map((a) => ({ name: a.name, type: "bar", data: data.stages.map((s) => a.onTime[s] ?? null) })),
  }, data.areas.every((a) => Object.keys(a.onTime).length === 0));
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
