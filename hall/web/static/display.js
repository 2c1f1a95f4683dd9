/* The hall display in a browser (smart TV): read-only, chime only (browsers block sound
   without a click; the speaking display is `kiosk display`). Same model as kiosk/calls/board.py:
   a snapshot, then events in order; while the link is down the last state stays with
   "叫号信息暂时无法更新（HH:MM）" — never "0 人" for a hall it knows nothing about. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const cfg = document.body.dataset;
  const board = { known: false, live: false, hall: "", windows: {}, services: {}, calls: [],
                  last: 0, lastUpdate: null, staleSince: null };
  let audio = null;

  function applySnapshot(s) {
    board.hall = s.hall || board.hall;
    board.windows = {};
    for (const w of s.windows || []) board.windows[w.number] = Object.assign({}, w);
    board.services = {};
    for (const v of s.services || []) {
      board.services[v.prefix] = Object.assign({ open: v.is_open !== false }, v);
    }
    board.calls = (s.recent_calls || []).map((c) => {
      const w = Hall.windowOf(c) || { number: c.window, name: c.window + "号窗口" };
      return { id: c.event_id || c.id, number: c.number, window: w.number, name: w.name,
               recall: !!c.recall || c.type === "ticket.recalled" };
    }).sort((a, b) => b.id - a.id)
      .filter((c, i, all) => all.findIndex((d) => d.number === c.number) === i);
    board.last = s.last_event_id || 0;
    board.known = true;
    touch();
  }

  function touch() { board.live = true; board.staleSince = null; board.lastUpdate = new Date(); }

  function applyEvent(ev) {
    if (ev.type === "resync") { load(); return; }
    if (ev.id <= board.last) return;
    board.last = ev.id;
    touch();
    const d = Hall.dataOf(ev);
    if (d.waiting && typeof d.waiting === "object") {
      for (const [p, n] of Object.entries(d.waiting)) if (board.services[p]) board.services[p].waiting = n;
    }
    const t = Hall.ticketOf(ev), w = Hall.windowOf(ev);
    if ((ev.type === "ticket.called" || ev.type === "ticket.recalled") && t && w) {
      const call = { id: ev.id, number: t.number, window: w.number, name: w.name,
                     recall: ev.type === "ticket.recalled" || !!d.recall };
      board.calls = [call].concat(board.calls.filter((c) => c.number !== call.number)).slice(0, 12);
      const age = ev.at ? (Date.now() - Date.parse(ev.at)) / 1000 : 0;
      if (age < Number(cfg.speakMaxAge || 30)) { flash(); chime(); }
    }
  }

  function newestPerWindow(n) {
    const out = [], seen = new Set();
    for (const c of board.calls) {
      if (!seen.has(c.window)) { seen.add(c.window); out.push(c); }
      if (out.length === n) break;
    }
    return out;
  }

  function render() {
    const E = Hall.el;
    $("hall").textContent = board.hall || cfg.hallName || "";
    $("clock").textContent = Hall.dateText() + "  " + Hall.hhmm();
    const newest = newestPerWindow(4);
    const main = $("main");
    main.replaceChildren();
    if (newest.length) {
      const c = newest[0];
      main.classList.remove("idle");
      main.append(E("div", { class: "number", "data-number": c.number }, c.number),
                  E("div", { class: "where" }, (c.recall ? "请再次到 " : "请到 ") + c.name));
    } else {
      main.classList.add("idle");
      main.append(E("div", { class: "where" }, "请留意叫号"));
    }
    const portrait = window.innerHeight > window.innerWidth;
    $("next").replaceChildren(...newest.slice(1, portrait ? 4 : 3).map((c) =>
      E("div", { class: "row" }, E("span", { class: "n" }, c.number),
        E("span", {}, (c.recall ? "请再次到 " : "请到 ") + c.name))));
    $("recent-list").replaceChildren(...board.calls.slice(0, 8).map((c) =>
      E("li", {}, E("b", {}, c.number), E("span", {}, c.name))));
    const waiting = $("waiting");
    waiting.classList.toggle("stale", !board.live);
    $("waiting-title").textContent = board.live || !board.known ? "等候人数" : "等候人数（暂停更新）";
    $("waiting-list").replaceChildren(...(board.known ? Object.values(board.services) : []).map(
      (s) => E("li", {}, E("span", {}, s.name),
               E("b", {}, s.open === false ? "暂停取号" : s.waiting + " 人"))));
    const notice = !board.known ? "正在连接叫号系统，请稍候"
      : board.live ? "" : "叫号信息暂时无法更新（" + Hall.hhmm(board.staleSince) + "）";
    $("notice").textContent = notice;
    $("notice").classList.toggle("hidden", !notice);
  }

  function flash() {
    const m = $("main");
    m.classList.remove("flash");
    void m.offsetWidth;            // restart the animation
    m.classList.add("flash");
  }

  /** The two-note chime of kiosk/speech/pcm.py's chime(), with WebAudio. */
  function chime() {
    if (!audio) return;
    const t0 = audio.currentTime + 0.02;
    [[659.25, 0, 0.42], [523.25, 0.42, 0.62]].forEach(([f, at, dur]) => {
      const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = f; o.type = "sine";
      g.gain.setValueAtTime(0.0001, t0 + at);
      g.gain.exponentialRampToValueAtTime(0.5, t0 + at + 0.006);
      g.gain.exponentialRampToValueAtTime(0.0001, t0 + at + dur);
      o.connect(g).connect(audio.destination);
      o.start(t0 + at); o.stop(t0 + at + dur + 0.05);
    });
    document.body.dataset.chimes = String(Number(document.body.dataset.chimes || 0) + 1);
  }

  let stream = null;
  async function load() {
    try {
      applySnapshot(await Hall.api("GET", cfg.snapshot));
    } catch (e) {
      if (board.live || !board.staleSince) { board.live = false; board.staleSince = board.lastUpdate || new Date(); }
      render();
      setTimeout(load, 1000);
      return;
    }
    render();
    if (stream) stream.close();
    stream = Hall.follow(cfg.stream, board.last, (ev) => { applyEvent(ev); render(); }, (up) => {
      if (up) touch();
      else if (board.live || !board.staleSince) {
        board.live = false; board.staleSince = board.lastUpdate || new Date();
      }
      render();
    }, Number(cfg.staleMs || 6000));
  }

  $("sound").addEventListener("click", () => {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    audio.resume();
    $("sound").textContent = "提示音已开启";
    $("sound").disabled = true;
    chime();
  });
  setInterval(render, 15000);
  window.addEventListener("resize", render);
  render();
  load();
})();
