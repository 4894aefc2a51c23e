/* Cockpit charts (Apache ECharts, served from static/vendor/echarts).
 *
 * The figures come from the page (json_script "dashboard-charts"), the same figures the tables
 * under each chart show. Every bar, slice or point links to the list behind it. Charts are drawn
 * as SVG with ECharts' decal patterns, value labels and distinct line styles so they still read
 * when printed in black and white.
 */
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });

  var holder = document.getElementById("dashboard-charts");
  if (!holder || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(holder.textContent);
  var charts = {};
  var INK = "#1f2933";
  var BRAND = "#0b4aa2";
  // Fill colour plus a pattern per meaning, so bars still differ when printed without colour.
  var PALETTE = {
    red: { color: "#c0262d", decal: { symbol: "rect", symbolSize: 0.6, dashArrayX: [1, 0], dashArrayY: [2, 4], color: "rgba(0,0,0,0.55)" } },
    yellow: { color: "#d99a00", decal: { symbol: "triangle", symbolSize: 0.7, color: "rgba(0,0,0,0.45)" } },
    green: { color: "#17703f", decal: { symbol: "circle", symbolSize: 0.5, color: "rgba(255,255,255,0.6)" } },
    blue: { color: "#0b4aa2", decal: { symbol: "none", dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: -0.785, color: "rgba(255,255,255,0.5)" } },
    grey: { color: "#7a8ea8", decal: { symbol: "triangle", symbolSize: 0.5, color: "rgba(255,255,255,0.6)" } }
  };

  function number(value) {
    if (value === null || value === undefined) {
      return "—";
    }
    return Number(value).toLocaleString(document.documentElement.lang || "zh-CN", { maximumFractionDigits: 2 });
  }

  // Tooltips are drawn inside the chart's SVG ("richText"), not as HTML: ECharts' HTML tooltips
  // carry inline style attributes, which the Content-Security-Policy refuses (style-src 'self').
  function tooltip(options) {
    return Object.assign({ confine: true, renderMode: "richText" }, options);
  }

  function base() {
    return {
      aria: { enabled: true, decal: { show: true } },
      animationDuration: 300,
      textStyle: { color: INK },
      tooltip: tooltip({ trigger: "item" })
    };
  }

  function horizontalBars(d, colors) {
    var values = d.values.map(function (v, i) {
      if (!colors) {
        return v;
      }
      var style = PALETTE[colors[i]] || PALETTE.blue;
      return { value: v, itemStyle: { color: style.color, decal: style.decal } };
    });
    return {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, axisLabel: { color: INK } },
      yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { color: INK } },
      series: [
        {
          type: "bar",
          name: d.series,
          data: values,
          itemStyle: { color: BRAND },
          label: { show: true, position: "right", color: INK, formatter: function (p) { return number(p.value); } },
          cursor: "pointer"
        }
      ]
    };
  }

  var builders = {
    stages: function (d) {
      return horizontalBars(d);
    },
    health: function (d) {
      return horizontalBars(d, d.colors);
    },
    campaign: function (d) {
      return horizontalBars(d, d.colors);
    },
    investment: function (d) {
      var series = [
        { type: "bar", name: d.series[0], data: d.done, itemStyle: { color: "#9db7e0" }, cursor: "pointer" },
        {
          type: "line",
          name: d.series[1],
          data: d.cumulative,
          symbol: "circle",
          symbolSize: 7,
          lineStyle: { width: 3, type: "solid", color: BRAND },
          itemStyle: { color: BRAND },
          label: { show: false },
          connectNulls: false
        }
      ];
      if (d.plan && d.plan.length) {
        series.push({
          type: "line",
          name: d.series[2],
          data: d.plan,
          symbol: "triangle",
          symbolSize: 7,
          lineStyle: { width: 2, type: "dashed", color: INK },
          itemStyle: { color: INK }
        });
      }
      return {
        legend: { bottom: 0, textStyle: { color: INK } },
        tooltip: tooltip({ trigger: "axis", valueFormatter: number }),
        grid: { left: 8, right: 16, top: 12, bottom: 56, containLabel: true },
        xAxis: { type: "category", data: d.labels, axisLabel: { color: INK } },
        yAxis: { type: "value", axisLabel: { color: INK, formatter: number } },
        series: series
      };
    },
    issues: function (d) {
      return {
        legend: { top: 0, textStyle: { color: INK } },
        tooltip: tooltip({ trigger: "axis", axisPointer: { type: "shadow" } }),
        grid: { left: 8, right: 40, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1, axisLabel: { color: INK } },
        yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { color: INK } },
        series: [
          {
            type: "bar",
            name: d.series[0],
            data: d.open,
            itemStyle: { color: PALETTE.grey.color, decal: PALETTE.grey.decal },
            label: { show: true, position: "right", color: INK },
            cursor: "pointer"
          },
          {
            type: "bar",
            name: d.series[1],
            data: d.overdue,
            itemStyle: { color: PALETTE.red.color, decal: PALETTE.red.decal },
            label: { show: true, position: "right", color: INK },
            cursor: "pointer"
          }
        ]
      };
    }
  };

  // Which list a click on an element of the chart opens.
  function target(name, d, params) {
    if (name === "investment") {
      return d.url;
    }
    if (name === "issues") {
      return (params.seriesIndex === 1 ? d.overdue_urls : d.open_urls)[params.dataIndex];
    }
    return d.urls ? d.urls[params.dataIndex] : null;
  }

  function heightFor(name, d) {
    if (name === "issues") {
      return Math.max(200, d.labels.length * 56 + 60);
    }
    if (name === "stages") {
      return Math.max(240, d.labels.length * 30 + 20);
    }
    return null;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (element) {
    var name = element.getAttribute("data-chart");
    var d = data[name];
    if (!d || !builders[name]) {
      return;
    }
    var height = heightFor(name, d);
    if (height) {
      element.style.height = height + "px";
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    var option = Object.assign(base(), builders[name](d));
    option.aria.label = { description: d.title };
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = target(name, d, params);
      if (url) {
        window.location.assign(url);
      }
    });
    element.setAttribute("data-ready", "true");
    charts[name] = chart;
  });

  function resizeAll() {
    Object.keys(charts).forEach(function (name) {
      charts[name].resize();
    });
  }
  window.addEventListener("resize", resizeAll);
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);

  // For the browser tests and for debugging from the console.
  window.dashboardCharts = charts;
})();
