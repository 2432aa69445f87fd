// Request rate and latency charts over the last minutes, kept in the page from the status polls:
// the node gives counts since start and percentiles over its sliding window.

import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { el } from './dom.js';

const WINDOW_SECONDS = 300;
const OPERATIONS = ['get', 'put', 'delete'];
const COLOURS = ['#1f77b4', '#d95f02', '#1b9e77'];

const samples = [];
let charts = null;

/** Adds a status document's request figures and redraws. */
export function addSample(status) {
  const now = Date.now() / 1000;
  const byOperation = Object.fromEntries(status.requests.map(r => [r.operation, r]));
  const previous = samples.at(-1);
  const rates = OPERATIONS.map(op => {
    if (!previous || !byOperation[op]) {
      return null;
    }
    return Math.max(0, (byOperation[op].count - previous.counts[op]) / (now - previous.time));
  });
  samples.push({
    time: now,
    counts: Object.fromEntries(OPERATIONS.map(op => [op, byOperation[op]?.count ?? 0])),
    rates,
    latency: Object.fromEntries(OPERATIONS.map(op => [op, byOperation[op] ?? null])),
  });
  while (samples[0].time < now - WINDOW_SECONDS) {
    samples.shift();
  }
  draw();
}

function draw() {
  const container = document.getElementById('charts');
  const width = Math.max(240, container.clientWidth - 8);
  if (!charts) {
    charts = {
      rate: chart(container, 'Requests per second', OPERATIONS.map((op, i) => ({ label: op.toUpperCase(), stroke: COLOURS[i] })), width),
      latency: OPERATIONS.map(op => chart(container, `${op.toUpperCase()} latency, ms`,
        ['p50', 'p99', 'p99.9'].map((label, i) => ({ label, stroke: COLOURS[i] })), width)),
    };
    new ResizeObserver(() => {
      const w = Math.max(240, container.clientWidth - 8);
      [charts.rate, ...charts.latency].forEach(c => c.setSize({ width: w, height: 160 }));
    }).observe(container);
  }
  const times = samples.map(s => s.time);
  charts.rate.setData([times, ...OPERATIONS.map((op, i) => samples.map(s => s.rates[i]))]);
  OPERATIONS.forEach((op, i) => {
    const of = key => samples.map(s => s.latency[op]?.[key] ?? null);
    charts.latency[i].setData([times, of('p50Millis'), of('p99Millis'), of('p999Millis')]);
  });
}

function chart(container, title, series, width) {
  const holder = el('div', { class: 'chart', role: 'img', 'aria-label': title });
  container.append(holder);
  return new uPlot({
    title, width, height: 160,
    series: [{}, ...series.map(s => ({ ...s, width: 2, spanGaps: true }))],
    axes: [{}, { size: 50 }],
    scales: {
      x: { time: true, range: () => [Date.now() / 1000 - WINDOW_SECONDS, Date.now() / 1000] },
      y: { range: (u, min, max) => [0, Math.max(1, max)] },
    },
  }, [[], ...series.map(() => [])], holder);
}
