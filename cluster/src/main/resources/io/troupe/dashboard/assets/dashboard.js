// Troupe's dashboard: polls the node's own API every two seconds and redraws. Everything that
// comes from the API is put in the page as text (textContent), never as markup. Styles are set
// through the CSSOM (the page's Content-Security-Policy allows no inline style attribute).
//
// A node whose reads need its token answers 401: then the page asks for the token once, keeps it
// in this tab's sessionStorage (gone when the tab closes) and sends it as a bearer token.
//
// A job that is not over (starting, running) has a Cancel button: once confirmed, the page sends
// DELETE /api/jobs/{id} with the token, which a cancel always needs (asked for as above if the tab
// has none yet, and again if the node refuses it; the cancel is sent once it is entered). An
// answer other than 200 shows its one-line error under the jobs table.
"use strict";

const POLL_MS = 2000;
const TOKEN_KEY = "troupe.token";
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777"];
let selectedJob = null;
let waitingForToken = false;
let pendingCancel = null; // a confirmed cancel waiting for the token
const canceling = new Set(); // jobs whose cancel is on its way

class NeedsToken extends Error {}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key === "style") Object.assign(node.style, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch (e) {
    return null; // storage disabled: ask again after each reload
  }
}

async function getJson(url) {
  const headers = {};
  const token = storedToken();
  if (token) headers["Authorization"] = "Bearer " + token;
  const response = await fetch(url, { cache: "no-store", headers: headers });
  if (response.status === 401) {
    throw new NeedsToken(token ? "the node refused that token; enter its token again"
      : "this node needs its token to show its jobs");
  }
  const body = await response.json();
  if (!response.ok) throw new Error(url + ": " + (body.error || response.status));
  return body;
}

function askForToken(reason) {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch (e) {
    // nothing stored
  }
  waitingForToken = true;
  document.getElementById("token-reason").textContent = reason;
  const form = document.getElementById("token-form");
  form.hidden = false;
  document.getElementById("token").focus();
}

document.getElementById("token-form").addEventListener("submit", event => {
  event.preventDefault();
  const input = document.getElementById("token");
  const token = input.value.trim();
  if (!token) return;
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch (e) {
    document.getElementById("token-reason").textContent = "this browser keeps no session storage";
    return;
  }
  input.value = "";
  document.getElementById("token-form").hidden = true;
  waitingForToken = false;
  if (pendingCancel) {
    requestCancel(pendingCancel);
  } else {
    refresh();
  }
});

function showCancelProblem(message) {
  const line = document.getElementById("cancel-problem");
  line.textContent = message.replace(/\s+/g, " ").trim();
  line.hidden = !message;
}

function confirmCancel(job) {
  if (window.confirm("Cancel job " + job + "? It stops for good: a canceled job cannot be resumed.")) {
    requestCancel(job);
  }
}

// Sends the cancel of a job that the user confirmed; without a token, asks for it first.
async function requestCancel(job) {
  showCancelProblem("");
  pendingCancel = job;
  if (waitingForToken) return; // the token form is up already: sent once a token is entered
  const token = storedToken();
  if (!token) {
    askForToken("canceling a job needs this node's token");
    return;
  }
  pendingCancel = null;
  canceling.add(job);
  try {
    const response = await fetch("/api/jobs/" + encodeURIComponent(job), {
      method: "DELETE",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token },
    });
    if (response.status === 401) {
      pendingCancel = job;
      askForToken("the node refused that token; enter its token again to cancel " + job);
      return;
    }
    if (!response.ok) {
      let error = "HTTP " + response.status;
      try {
        error = (await response.json()).error || error;
      } catch (e) {
        // not JSON (a proxy's page): the status says enough
      }
      showCancelProblem("cancel " + job + ": " + error);
    } else {
      selectedJob = job;
    }
  } catch (e) {
    showCancelProblem("cancel " + job + ": " + e.message);
  } finally {
    canceling.delete(job);
  }
  refresh();
}

function fmt(n, digits) {
  return Number(n).toLocaleString("en", { maximumFractionDigits: digits === undefined ? 1 : digits });
}

function drawMembers(cluster) {
  document.getElementById("node").textContent = cluster.self;
  fill(document.querySelector("#members tbody"), cluster.members.map(m => {
    const status = m.reachable ? m.status : "Unreachable";
    return el("tr", { "data-member": m.address, "data-status": status },
      el("td", {}, m.address),
      el("td", { class: "status-" + status }, status),
      el("td", {}, m.roles.join(", ") || "–"),
      el("td", {}, m.reachable ? "yes" : "no"));
  }));
  const rows = [];
  for (const type of cluster.shards) {
    // Entity types no node hosts a shard of yet (pipelines that have not run) are left out.
    if (!type.error && !type.nodes.some(n => n.shards > 0)) continue;
    if (type.error) {
      rows.push(el("tr", { "data-type": type.type }, el("td", {}, type.type),
        el("td", { class: "error", colspan: "3" }, type.error)));
      continue;
    }
    for (const node of type.nodes) {
      rows.push(el("tr", { "data-type": type.type, "data-node": node.address, "data-shards": node.shards },
        el("td", {}, type.type), el("td", {}, node.address),
        el("td", { class: "num" }, node.shards), el("td", { class: "num" }, node.entities)));
    }
  }
  fill(document.querySelector("#shards tbody"), rows);
}

function drawJobs(list) {
  const jobs = list.jobs.slice().sort((a, b) => b.submittedAt - a.submittedAt);
  if (!selectedJob || !jobs.some(j => j.job === selectedJob)) {
    const running = jobs.find(j => j.state === "running" || j.state === "starting");
    selectedJob = running ? running.job : (jobs[0] ? jobs[0].job : null);
  }
  fill(document.querySelector("#jobs tbody"), jobs.map(j => {
    const pct = j.items > 0 ? Math.min(100, 100 * j.completed / j.items) : 0;
    const row = el("tr", { "data-job": j.job, "data-state": j.state, "data-completed": j.completed, "data-items": j.items },
      el("td", {}, j.job), el("td", {}, j.pipeline),
      el("td", { class: "state-" + j.state }, j.state),
      el("td", {}, el("span", { class: "progress" }, el("span", { style: { width: pct.toFixed(1) + "%" } })),
        " " + fmt(j.completed, 0) + " / " + fmt(j.items, 0)),
      el("td", { class: "num" }, fmt(j.items, 0)),
      el("td", {}, cancelButton(j)));
    if (j.job === selectedJob) row.classList.add("selected");
    row.addEventListener("click", () => { selectedJob = j.job; refresh(); });
    return row;
  }));
}

function cancelButton(job) {
  if (job.state !== "running" && job.state !== "starting") return "";
  const busy = canceling.has(job.job);
  const button = el("button", { type: "button", class: "cancel", "data-cancel": job.job }, busy ? "Canceling…" : "Cancel");
  button.disabled = busy;
  button.addEventListener("click", event => {
    event.stopPropagation(); // not a click on the row
    confirmCancel(job.job);
  });
  return button;
}

function polyline(svg, points, color, stage, series) {
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", points.map(p => p.join(",")).join(" "));
  line.setAttribute("stroke", color);
  line.setAttribute("data-stage", stage);
  line.setAttribute("data-series", series);
  svg.append(line);
}

function drawChart(svg, samples, stages, value, series) {
  svg.replaceChildren();
  if (samples.length < 2) return;
  const t0 = samples[0].atMs;
  const span = Math.max(1, samples[samples.length - 1].atMs - t0);
  let max = 1;
  for (const s of samples) for (const name of stages) max = Math.max(max, value(s.stages[name] || {}));
  stages.forEach((name, i) => {
    const points = samples.map(s => [
      (600 * (s.atMs - t0) / span).toFixed(1),
      (155 - 145 * value(s.stages[name] || {}) / max).toFixed(1)]);
    polyline(svg, points, COLORS[i % COLORS.length], name, series);
  });
  const label = document.createElementNS("http://www.w3.org/2000/svg", "text");
  label.setAttribute("x", "4");
  label.setAttribute("y", "12");
  label.textContent = "max " + fmt(max);
  svg.append(label);
}

function drawDetail(status) {
  const detail = document.getElementById("detail");
  detail.hidden = false;
  document.getElementById("detail-job").textContent = status.job;
  const state = document.getElementById("detail-state");
  state.textContent = status.status;
  state.className = "state-" + status.status;
  state.setAttribute("data-state", status.status);
  const live = status.live;
  const report = status.report;
  const bottleneck = report ? report.bottleneck : (live ? live.bottleneck : null);
  document.getElementById("bottleneck").textContent = bottleneck || "–";
  const stages = live ? live.stages.map(s => s.name) : [];
  const samples = live ? live.samples : [];
  drawChart(document.getElementById("chart-throughput"), samples, stages, f => f.itemsPerSec || 0, "throughput");
  drawChart(document.getElementById("chart-depth"), samples, stages, f => (f.waiting || 0) + (f.inFlight || 0), "depth");
  document.getElementById("legend").replaceChildren(...stages.map((name, i) =>
    el("span", {}, el("i", { style: { background: COLORS[i % COLORS.length] } }), name)));
  fill(document.querySelector("#stages tbody"), (live ? live.stages : []).map(s =>
    el("tr", { "data-stage": s.name, "data-waiting": s.waiting },
      el("td", {}, s.name), el("td", { class: "num" }, fmt(s.items, 0)),
      el("td", { class: "num" }, fmt(s.busyPct)), el("td", { class: "num" }, fmt(s.waiting, 0)),
      el("td", { class: "num" }, fmt(s.inFlight, 0)), el("td", { class: "num" }, fmt(s.maxWaiting, 0)))));
  const reportBox = document.getElementById("report");
  reportBox.hidden = !report;
  if (report) {
    const parts = ["wall " + fmt(report.wallMs / 1000, 2) + " s", report.nodes + " node(s)",
      report.workers + " worker(s)", fmt(report.items, 0) + " items", fmt(report.itemsPerSec) + " items/s",
      report.itemsRetried + " retried", report.itemsQuarantined + " quarantined"];
    if (report.speedup !== undefined) {
      parts.push("speedup " + fmt(report.speedup, 2) + "×", "efficiency " + fmt(report.efficiency, 2));
    }
    parts.push("bottleneck " + report.bottleneck);
    document.getElementById("report-summary").textContent = parts.join(" · ");
    fill(document.querySelector("#report-stages tbody"), (report.stages || []).map(s =>
      el("tr", {}, el("td", {}, s.name), el("td", { class: "num" }, fmt(s.items, 0)),
        el("td", { class: "num" }, fmt(s.busyPct)), el("td", { class: "num" }, fmt(s.p50Ms, 3)),
        el("td", { class: "num" }, fmt(s.p99Ms, 3)), el("td", { class: "num" }, s.maxMailbox),
        el("td", { class: "num" }, s.maxWaiting === undefined ? "–" : fmt(s.maxWaiting, 0)))));
  }
}

async function refresh() {
  if (waitingForToken) return;
  const problem = document.getElementById("problem");
  try {
    const [cluster, jobs] = await Promise.all([getJson("/api/cluster"), getJson("/api/jobs")]);
    drawMembers(cluster);
    drawJobs(jobs);
    if (selectedJob) {
      drawDetail(await getJson("/api/jobs/" + encodeURIComponent(selectedJob)));
    }
    problem.hidden = true;
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    if (e instanceof NeedsToken) {
      problem.hidden = true;
      askForToken(e.message);
      return;
    }
    problem.hidden = false;
    problem.textContent = e.message;
  }
}

refresh();
setInterval(refresh, POLL_MS);
