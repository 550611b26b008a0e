// TierFlow dashboard: polls /api/snapshot every 2 s and renders it with Chart.js. Plain JS, no build step.
// After each render it records what it drew in data-* attributes (body: renderedSnapshots; each canvas:
// points; the alerts table: alerts; the policy table: rules), so a headless browser test can check that
// the charts were drawn with data, not just that the page loaded.
'use strict';

const POLL_MILLIS = 2000;
const PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#db2777', '#65a30d', '#b45309'];
const FLOOR_COLOR = '#c62828';

// No animation: a chart is complete as soon as update() returns, for people and for the headless test.
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

const charts = {
  spend: new Chart(document.getElementById('spend-chart'), {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { title: { display: true, text: 'window end (local time)' }, ticks: { maxTicksLimit: 12 } },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: 'USD / hour' } },
      },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${usd(c.parsed.y)}/h` } } },
    },
  }),
  quality: qualityChart('quality-chart'),
  qualityTier: qualityChart('quality-tier-chart'),
  savings: new Chart(document.getElementById('savings-chart'), {
    type: 'doughnut',
    data: { labels: ['spent', 'saved'], datasets: [{ data: [], backgroundColor: ['#2563eb', '#16a34a'] }] },
    options: { plugins: { legend: { position: 'right' },
      tooltip: { callbacks: { label: (c) => `${c.label}: ${usd(c.parsed)}` } } } },
  }),
};

function qualityChart(id) {
  return new Chart(document.getElementById(id), {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      // the floor ticks are wide points: without this, Chart.js pads the plot by their radius on every side
      layout: { autoPadding: false, padding: { top: 4 } },
      scales: { y: { min: 0, max: 1, title: { display: true, text: 'quality mean' } } },
      plugins: { tooltip: { callbacks: { label: qualityTooltip } } },
    },
  });
}

function qualityTooltip(c) {
  if (c.dataset.type === 'line') return `floor: ${c.parsed.y.toFixed(2)}`;
  const row = c.dataset.rows[c.dataIndex];
  return `mean ${c.parsed.y.toFixed(3)} over ${row.samples} graded spans` + (row.minSamples ? ` (judged from ${row.minSamples})` : '');
}

function usd(value) {
  if (value === null || value === undefined) return '–';
  const digits = Math.abs(value) < 10 ? 4 : 2;
  return '$' + value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: digits });
}

const micros = (value) => value / 1e6;
const time = (millis) => new Date(millis).toLocaleTimeString('en-GB');
const dateTime = (millis) => new Date(millis).toLocaleString('en-GB');

function countPoints(chart) {
  return chart.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null && v !== undefined).length, 0);
}

function draw(chart) {
  chart.update('none');
  chart.canvas.dataset.points = String(countPoints(chart));
}

function renderSpend(spend) {
  const chart = charts.spend;
  chart.data.labels = spend.windowEnds.map(time);
  chart.data.datasets = spend.roles.map((role, i) => ({
    label: role.role,
    data: role.usdPerHour,
    fill: i === 0 ? 'origin' : '-1',
    borderColor: PALETTE[i % PALETTE.length],
    backgroundColor: PALETTE[i % PALETTE.length] + '55',
    pointRadius: 2,
    spanGaps: false,
  }));
  draw(chart);
}

function renderQuality(chart, rows) {
  chart.data.labels = rows.map((r) => r.label);
  chart.data.datasets = [
    {
      type: 'bar', label: 'quality (latest window)', rows, order: 1,
      data: rows.map((r) => r.mean),
      backgroundColor: rows.map((r) => (r.belowFloor ? '#ef9a9a' : '#93c5fd')),
      borderColor: rows.map((r) => (r.belowFloor ? FLOOR_COLOR : '#2563eb')), borderWidth: 1,
    },
    {
      // the floor as a line dataset without a line: one horizontal tick across each bar, drawn over the bars (order 0)
      type: 'line', label: 'floor', data: rows.map((r) => r.floor), order: 0,
      showLine: false, pointStyle: 'line', pointRadius: tickRadius(chart, rows.length), pointHoverRadius: tickRadius(chart, rows.length),
      borderColor: FLOOR_COLOR, borderWidth: 3, backgroundColor: FLOOR_COLOR,
    },
  ];
  draw(chart);
}

// Half a category's width, so a floor tick spans its bar (the chart area is known after the first draw).
function tickRadius(chart, categories) {
  const width = chart.chartArea ? chart.chartArea.width : 600;
  return Math.max(6, Math.min(80, (width / Math.max(1, categories)) * 0.4));
}

function renderSavings(savings) {
  document.getElementById('savings-spent').textContent = usd(micros(savings.spentMicros));
  document.getElementById('savings-frontier').textContent = usd(micros(savings.frontierMicros));
  document.getElementById('savings-saved').textContent = savings.savedPercent === null ? '–'
    : `${usd(micros(savings.savedMicros))} (${savings.savedPercent.toFixed(1)} %)`;
  const chart = charts.savings;
  chart.data.datasets[0].data = savings.frontierMicros > 0
    ? [micros(savings.spentMicros), Math.max(0, micros(savings.savedMicros))] : [];
  draw(chart);
}

function cell(tr, text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text === null || text === undefined ? '' : String(text);
  tr.appendChild(td);
  return td;
}

function badge(td, text, className) {
  td.textContent = '';
  const span = document.createElement('span');
  span.className = 'badge ' + className;
  span.textContent = text.toLowerCase();
  td.appendChild(span);
}

function renderAlerts(alerts) {
  const table = document.getElementById('alerts');
  const body = table.tBodies[0];
  body.replaceChildren();
  if (alerts.length === 0) {
    const tr = body.insertRow();
    tr.className = 'empty';
    cell(tr, 'no alerts yet').colSpan = 7;
  }
  for (const a of alerts) {
    const tr = body.insertRow();
    tr.className = 'row-' + a.state;
    tr.dataset.alertId = a.alertId;
    cell(tr, time(a.at), 'num');
    badge(cell(tr, ''), a.state, 'state-' + a.state);
    cell(tr, a.kind);
    cell(tr, a.scope);
    cell(tr, `${round(a.observed)} / ${round(a.threshold)}`, 'num');
    cell(tr, a.message);
    cell(tr, a.actionTaken);
  }
  table.dataset.alerts = String(alerts.length);
}

function round(value) {
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : Number(value.toFixed(3)).toString();
}

function renderPolicy(policy) {
  document.getElementById('policy-version').textContent =
    `(policy file ${policy.fileVersion}, default tier ${policy.defaultTier}; live rules from the policy topic replace the file's)`;
  const table = document.getElementById('policy');
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const r of policy.rules) {
    const tr = body.insertRow();
    tr.dataset.source = r.source;
    cell(tr, r.scope);
    const tier = cell(tr, r.tier + (r.model ? ` (${r.model})` : ''));
    if (r.overrides) {
      const note = document.createElement('div');
      note.className = 'overrides';
      note.textContent = `file says ${r.overrides}`;
      tier.appendChild(note);
    }
    badge(cell(tr, ''), r.source + (r.pinned ? ' · pinned' : ''), 'source-' + r.source);
    cell(tr, r.reason + (r.causedByAlertId ? ` (alert ${r.causedByAlertId})` : ''));
    cell(tr, r.version, 'num');
    cell(tr, r.expiresAt ? dateTime(r.expiresAt) : '', 'num');
  }
  table.dataset.rules = String(policy.rules.length);
}

let rendered = 0;

function render(snapshot) {
  renderSpend(snapshot.spend);
  renderQuality(charts.quality, snapshot.quality.roles);
  renderQuality(charts.qualityTier, snapshot.quality.roleTypeTiers);
  renderSavings(snapshot.savings);
  renderAlerts(snapshot.alerts);
  renderPolicy(snapshot.policy);
  const read = snapshot.recordsRead;
  const status = document.getElementById('status');
  status.className = 'status';
  status.textContent = `updated ${time(snapshot.generatedAt)} · read ${read.stats} stats, ${read.alerts} alerts, `
    + `${read.policy} policy records` + (read.undecodable ? ` · ${read.undecodable} undecodable skipped` : '');
  rendered += 1;
  document.body.dataset.renderedSnapshots = String(rendered);
}

// A dashboard started with a bearer token is opened as http://host:port/#token=<token>: the fragment never
// leaves the browser (not sent, not logged), and the script sends it as the Authorization header.
const TOKEN = new URLSearchParams(location.hash.slice(1)).get('token');
const SNAPSHOT_HEADERS = TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {};

async function poll() {
  try {
    const response = await fetch('/api/snapshot', { cache: 'no-store', headers: SNAPSHOT_HEADERS });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    render(await response.json());
  } catch (e) {
    const status = document.getElementById('status');
    status.className = 'status stale';
    status.textContent = `cannot update (${e.message}); showing the last snapshot`;
  } finally {
    setTimeout(poll, POLL_MILLIS);
  }
}

poll();
