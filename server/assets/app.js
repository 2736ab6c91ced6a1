// quotient's page: start a job from an example or a file, follow its SSE stream, redraw the
// picture (GET /v1/jobs/{id}/plot.svg) and the objective chart on every incumbent, cancel,
// download the solution. No framework, no dependency: served from the binary.
"use strict";

const $ = (id) => document.getElementById(id);

/** Timings the end-to-end test reads (and anyone curious, from the console). */
const stats = (window.quotientStats = {
  startedAt: null,        // performance.now() when Start was pressed
  firstPictureMs: null,   // Start -> first picture shown
  firstIncumbentMs: null, // Start -> first incumbent event
  pictures: 0,            // pictures shown
  incumbents: 0,          // incumbent events received
  maxFrameGapMs: 0,       // longest gap between animation frames while a job ran
  longTasks: 0,           // main-thread tasks over 50 ms (where the browser reports them)
  longestTaskMs: 0,
});

const job = {
  id: null,
  points: [],       // {t, objective, bound}
  drawable: true,   // false once the server says this family / instance has no picture
  final: null,      // the final job view
  stream: null,     // AbortController of the event stream
};

// ---------------------------------------------------------------- API

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const key = $("key").value.trim();
  if (key) h["Authorization"] = "Bearer " + key;
  return h;
}

/** fetch that turns an error answer into an Error carrying the API's message and code. */
async function api(path, opts) {
  const o = Object.assign({}, opts || {});
  o.headers = headers(o.headers);
  const res = await fetch(path, o);
  if (!res.ok) {
    let msg = res.status + " " + res.statusText;
    let code = "";
    try {
      const body = await res.json();
      if (body && body.message) { msg = body.message; code = body.code || ""; }
    } catch (_) { /* not JSON: keep the status line */ }
    const e = new Error(code ? msg + " [" + code + "]" : msg);
    e.code = code;
    e.status = res.status;
    throw e;
  }
  return res;
}

function showError(e) {
  const box = $("error");
  box.textContent = e instanceof Error ? e.message : String(e);
  box.hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

// ---------------------------------------------------------------- set-up

async function loadLists() {
  try {
    const [solvers, examples] = await Promise.all([
      api("/v1/solvers").then((r) => r.json()),
      api("/v1/examples").then((r) => r.json()),
    ]);
    // Rebuilt on every call (a new key may see other solvers); the choices made stay.
    const sel = $("solver");
    const keepSolver = sel.value;
    sel.length = 1;
    const groups = {};
    for (const s of solvers.solvers) {
      if (!groups[s.family]) {
        groups[s.family] = document.createElement("optgroup");
        groups[s.family].label = s.family;
        sel.appendChild(groups[s.family]);
      }
      const o = new Option(s.name + (s.available ? "" : " (unavailable)"), s.name);
      o.disabled = !s.available;
      o.title = s.available ? s.description : s.unavailable_because || "";
      groups[s.family].appendChild(o);
    }
    if ([...sel.options].some((o) => o.value === keepSolver && !o.disabled)) sel.value = keepSolver;
    const ex = $("example");
    const keepExample = ex.value;
    ex.length = 1;
    for (const e of examples) {
      const o = new Option(e.name + " (" + e.family + ")", e.name);
      o.dataset.format = e.format;
      ex.appendChild(o);
    }
    ex.value = keepExample;
    clearError();
  } catch (e) {
    showError(e);
  }
}

async function chooseExample() {
  const opt = $("example").selectedOptions[0];
  if (!opt || !opt.value) return;
  try {
    const text = await api("/v1/examples/" + encodeURIComponent(opt.value)).then((r) => r.text());
    setInstance(text, opt.value, opt.dataset.format || "");
    clearError();
  } catch (e) {
    showError(e);
  }
}

function setInstance(text, fileName, format) {
  $("text").value = text;
  $("name").value = fileName ? fileName.replace(/\.(gz)$/i, "").replace(/\.[^.]*$/, "") : "";
  $("format").value = format || guessFormat(fileName || "");
}

/** The format a file name tells (the server detects the rest from the content). */
function guessFormat(name) {
  const n = name.toLowerCase();
  if (n.endsWith(".tsp") || n.endsWith(".atsp")) return "tsplib";
  if (n.endsWith(".vrp")) return "cvrplib";
  if (n.endsWith(".mps")) return "mps";
  if (n.endsWith(".lp")) return "lp";
  if (n.endsWith(".json")) return "json";
  return "";
}

async function readFile(file) {
  if (!file) return;
  if (file.size > 64 * 1024 * 1024) {
    showError(file.name + " is " + file.size + " bytes; the page sends at most 64 MiB");
    return;
  }
  if (file.name.toLowerCase().endsWith(".gz")) {
    showError(file.name + ": send gzip'd files with the API or the CLI; the page takes text");
    return;
  }
  setInstance(await file.text(), file.name, "");
  $("example").value = "";
  clearError();
}

// ---------------------------------------------------------------- a job

function setState(s) {
  document.body.dataset.state = s;
  $("start").disabled = s === "running" || s === "starting";
  $("cancel").disabled = s !== "running";
}

function fmt(x) {
  if (x === null || x === undefined) return "—";
  return Number.isInteger(x) ? String(x) : x.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
}

async function start() {
  clearError();
  const text = $("text").value;
  if (!text.trim()) {
    showError("choose an example, drop a file or paste an instance first");
    return;
  }
  const time = parseFloat($("time").value);
  const body = {
    instance: text,
    options: { solver: $("solver").value || "auto" },
  };
  if (Number.isFinite(time)) body.options.time_limit = time;
  if ($("format").value) body.format = $("format").value;
  if ($("name").value.trim()) body.name = $("name").value.trim();
  if (job.stream) job.stream.abort();
  Object.assign(job, { id: null, points: [], drawable: true, final: null, stream: null });
  Object.assign(stats, { startedAt: performance.now(), firstPictureMs: null, firstIncumbentMs: null, pictures: 0, incumbents: 0, maxFrameGapMs: 0, longTasks: 0, longestTaskMs: 0 });
  $("plot").hidden = true;
  $("picture-note").textContent = "Waiting for the first solution…";
  $("download").disabled = true;
  drawChart();
  setState("starting");
  watchFrames();
  try {
    const created = await api("/v1/jobs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then((r) => r.json());
    job.id = created.id;
    $("job").textContent = created.id;
    setState("running");
    follow(created.id);
  } catch (e) {
    setState("idle");
    showError(e);
  }
}

async function cancel() {
  if (!job.id) return;
  try {
    await api("/v1/jobs/" + job.id + "/cancel", { method: "POST" });
  } catch (e) {
    showError(e);
  }
}

/** Follow the job's event stream (fetch, so that the API key can be sent), reconnecting with
 *  Last-Event-ID when the connection drops before the final event. */
async function follow(id) {
  let lastId = "";
  for (let attempt = 0; attempt < 20 && job.id === id && !job.final; attempt++) {
    const ctl = new AbortController();
    job.stream = ctl;
    try {
      const h = { Accept: "text/event-stream" };
      if (lastId) h["Last-Event-ID"] = lastId;
      const res = await api("/v1/jobs/" + id + "/events", { headers: h, signal: ctl.signal });
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true }).replace(/\r\n/g, "\n");
        let cut;
        while ((cut = buf.indexOf("\n\n")) >= 0) {
          const ev = parseEvent(buf.slice(0, cut));
          buf = buf.slice(cut + 2);
          if (ev.id) lastId = ev.id;
          if (job.id === id) onEvent(ev);
        }
      }
    } catch (e) {
      if (ctl.signal.aborted || job.id !== id) return;
      if (e.status && e.status < 500) { showError(e); setState("failed"); return; }
    }
    if (!job.final) await new Promise((r) => setTimeout(r, 500));
  }
}

function parseEvent(block) {
  const ev = { event: "message", data: "", id: "" };
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
    if (field === "event") ev.event = value;
    else if (field === "data") ev.data += (ev.data ? "\n" : "") + value;
    else if (field === "id") ev.id = value;
  }
  return ev;
}

function onEvent(ev) {
  if (ev.event === "incumbent") {
    const inc = JSON.parse(ev.data);
    stats.incumbents++;
    if (stats.firstIncumbentMs === null) stats.firstIncumbentMs = performance.now() - stats.startedAt;
    job.points.push({ t: inc.elapsed_ms / 1000, objective: inc.objective, bound: inc.bound });
    $("objective").textContent = fmt(inc.objective) + " (" + inc.source + ")";
    $("bound").textContent = fmt(inc.bound);
    $("improvements").textContent = String(inc.seq);
    $("elapsed").textContent = (inc.elapsed_ms / 1000).toFixed(2) + " s";
    $("jobstatus").textContent = "running";
    $("download").disabled = false;
    scheduleChart();
    refreshPicture();
  } else if (ev.event === "final") {
    const view = JSON.parse(ev.data);
    job.final = view;
    $("jobstatus").textContent = view.status;
    $("jobsolver").textContent = view.solver;
    $("elapsed").textContent = (view.elapsed_ms / 1000).toFixed(2) + " s";
    const r = view.result;
    if (r) {
      $("objective").textContent = fmt(r.objective) + " (" + r.status + ")";
      $("bound").textContent = fmt(r.bound);
      if (r.message) $("picture-note").textContent = r.message;
    }
    $("improvements").textContent = String(view.improvements);
    if (view.error) showError(view.error.message + " [" + view.error.code + "]");
    $("download").disabled = !(r && r.solution);
    setState(view.status);
    scheduleChart();
    refreshPicture();
  } else if (ev.event === "error") {
    const e = JSON.parse(ev.data);
    showError(e.message + " [" + e.code + "]");
  }
}

// ---------------------------------------------------------------- the picture

const picture = { busy: false, again: false, lastAt: 0, url: null };
const PICTURE_EVERY_MS = 250;

/** Fetch the job's picture; one request at a time, the newest state wins, at most every
 *  PICTURE_EVERY_MS. The SVG is decoded off the main thread by the <img>. */
async function refreshPicture() {
  if (!job.drawable || !job.id) return;
  if (picture.busy) { picture.again = true; return; }
  const wait = picture.lastAt + PICTURE_EVERY_MS - performance.now();
  if (wait > 0 && !job.final) {
    picture.busy = true;
    await new Promise((r) => setTimeout(r, wait));
    picture.busy = false;
  }
  picture.busy = true;
  picture.again = false;
  picture.lastAt = performance.now();
  const id = job.id;
  const width = Math.max(400, Math.min(2000, Math.round($("picture").clientWidth * (window.devicePixelRatio || 1))));
  try {
    const blob = await api("/v1/jobs/" + id + "/plot.svg?width=" + width).then((r) => r.blob());
    if (job.id === id) await show(blob);
  } catch (e) {
    if (e.code === "plot.not_drawable" || e.code === "plot.no_coordinates") {
      job.drawable = false;
      $("picture-note").textContent = e.message + " — the chart below follows the objective.";
    } else if (e.code !== "job.no_solution_yet") {
      showError(e);
    }
  } finally {
    picture.busy = false;
  }
  if (picture.again) refreshPicture();
}

function show(blob) {
  return new Promise((resolve) => {
    const img = $("plot");
    const url = URL.createObjectURL(blob);
    img.onload = () => {
      if (picture.url) URL.revokeObjectURL(picture.url);
      picture.url = url;
      img.hidden = false;
      stats.pictures++;
      if (stats.firstPictureMs === null) stats.firstPictureMs = performance.now() - stats.startedAt;
      $("picture-note").textContent = job.final ? "The final solution." : "The best solution so far.";
      resolve();
    };
    img.onerror = () => { URL.revokeObjectURL(url); resolve(); };
    img.src = url;
  });
}

// ---------------------------------------------------------------- the chart

let chartQueued = false;
function scheduleChart() {
  if (chartQueued) return;
  chartQueued = true;
  requestAnimationFrame(() => { chartQueued = false; drawChart(); });
}

function drawChart() {
  const c = $("chart");
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(300, c.clientWidth), h = c.clientHeight || 260;
  if (c.width !== Math.round(w * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); }
  const g = c.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const pts = job.points;
  if (!pts.length) return;
  const end = Math.max(pts[pts.length - 1].t, job.final ? job.final.elapsed_ms / 1000 : 0, 0.001);
  let lo = Infinity, hi = -Infinity;
  // The first incumbent (a construction) is often far above the rest: scale to the others
  // and let its step leave the top of the chart.
  for (const p of pts.length >= 3 ? pts.slice(1) : pts) {
    lo = Math.min(lo, p.objective); hi = Math.max(hi, p.objective);
    if (p.bound !== null && p.bound !== undefined) { lo = Math.min(lo, p.bound); hi = Math.max(hi, p.bound); }
  }
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(1, Math.abs(lo) * 0.05);
  lo -= pad; hi += pad;
  const L = 70, R = 10, T = 10, B = 24;
  const x = (t) => L + (t / (end * 1.02)) * (w - L - R);
  const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (h - T - B);
  g.strokeStyle = "#999"; g.lineWidth = 1;
  g.beginPath(); g.moveTo(L, T); g.lineTo(L, h - B); g.lineTo(w - R, h - B); g.stroke();
  g.fillStyle = "#555"; g.font = "11px system-ui, sans-serif";
  g.textAlign = "right"; g.textBaseline = "middle";
  for (const v of [lo + pad, hi - pad]) g.fillText(fmt(+v.toPrecision(6)), L - 4, y(v));
  g.textAlign = "center"; g.textBaseline = "top";
  g.fillText("0 s", L, h - B + 4);
  g.fillText(end.toFixed(2) + " s", x(end), h - B + 4);
  g.save();
  g.beginPath(); g.rect(L, T - 2, w - L - R, h - T - B + 2); g.clip();
  const step = (key, colour) => {
    g.strokeStyle = colour; g.lineWidth = 2; g.beginPath();
    let prev = null;
    for (const p of pts) {
      const v = p[key];
      if (v === null || v === undefined) continue;
      if (prev === null) g.moveTo(x(p.t), y(v)); else { g.lineTo(x(p.t), y(prev)); g.lineTo(x(p.t), y(v)); }
      prev = v;
    }
    if (prev !== null) g.lineTo(x(end), y(prev));
    g.stroke();
  };
  step("bound", "#1f77b4");
  step("objective", "#d62728");
  g.restore();
}

// ---------------------------------------------------------------- responsiveness

/** Measure the longest gap between animation frames from Start to the job's end. */
function watchFrames() {
  let last = performance.now();
  const tick = (now) => {
    stats.maxFrameGapMs = Math.max(stats.maxFrameGapMs, now - last);
    last = now;
    $("perf").textContent = "longest frame gap " + stats.maxFrameGapMs.toFixed(0) + " ms";
    const s = document.body.dataset.state;
    if (s === "running" || s === "starting") requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

if ("PerformanceObserver" in window) {
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (stats.startedAt === null || e.startTime < stats.startedAt) continue;
        stats.longTasks++;
        stats.longestTaskMs = Math.max(stats.longestTaskMs, e.duration);
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (_) { /* long tasks not reported by this browser */ }
}

// ---------------------------------------------------------------- download

async function download() {
  if (!job.id) return;
  try {
    const res = await api("/v1/jobs/" + job.id + "/solution?format=native");
    const cd = res.headers.get("Content-Disposition") || "";
    const m = /filename="([^"]+)"/.exec(cd);
    const blob = await res.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = m ? m[1] : "solution.txt";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (e) {
    showError(e);
  }
}

// ---------------------------------------------------------------- wiring

document.addEventListener("DOMContentLoaded", () => {
  const key = $("key");
  key.value = localStorage.getItem("quotient.key") || "";
  key.addEventListener("change", () => {
    localStorage.setItem("quotient.key", key.value.trim());
    loadLists();
  });
  $("example").addEventListener("change", chooseExample);
  $("file").addEventListener("change", (e) => readFile(e.target.files[0]));
  const drop = $("drop");
  for (const el of [drop, $("text")]) {
    el.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    el.addEventListener("dragleave", () => drop.classList.remove("over"));
    el.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      readFile(e.dataTransfer.files[0]);
    });
  }
  $("start").addEventListener("click", start);
  $("cancel").addEventListener("click", cancel);
  $("download").addEventListener("click", download);
  window.addEventListener("resize", scheduleChart);
  fetch("/healthz").then((r) => r.json()).then((h) => {
    $("server").textContent = "store: " + h.store + " · " + h.running + " running";
  }).catch(() => {});
  loadLists();
});
