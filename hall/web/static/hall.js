/* Shared by the hall's pages: JSON requests that act once, the event stream with resume, and
   plain-Chinese errors. Plain ES2017 (the browsers of Kylin/UOS desktops), no build step. */
"use strict";

const Hall = (() => {
  const body = document.body.dataset;

  /** A client request id: the service acts once per id, so a retried request is harmless.
      (crypto.randomUUID needs https; getRandomValues works on the hall's plain http.) */
  function requestId() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  class ApiError extends Error {
    constructor(status, code, message, detail) {
      super(message);
      this.status = status; this.code = code; this.detail = detail || {};
    }
  }

  const NETWORK = "连接不上叫号服务，请检查网络后再试。";

  function token() { return sessionStorage.getItem(body.tokenKey || "hall-token") || ""; }
  function setToken(t) {
    if (t) sessionStorage.setItem(body.tokenKey || "hall-token", t);
    else sessionStorage.removeItem(body.tokenKey || "hall-token");
  }

  /** fetch JSON; a network failure is retried (same request id) up to `tries` times. */
  async function api(method, path, data, opts) {
    const o = opts || {};
    const rid = o.requestId || (method === "GET" ? "" : requestId());
    const headers = { "Accept": "application/json" };
    if (data !== undefined) headers["Content-Type"] = "application/json";
    if (token()) headers["Authorization"] = "Bearer " + token();
    if (rid) headers["X-Request-Id"] = rid;
    const payload = data === undefined ? undefined
      : JSON.stringify(rid && typeof data === "object" && !Array.isArray(data)
          ? Object.assign({ request_id: rid }, data) : data);
    let last = null;
    for (let attempt = 0; attempt < (o.tries || 3); attempt++) {
      let r;
      try {
        r = await fetch(path, { method, headers, body: payload, cache: "no-store" });
      } catch (e) {
        last = new ApiError(0, "network", NETWORK);
        await new Promise((ok) => setTimeout(ok, 300 * (attempt + 1)));
        continue;
      }
      let json = {};
      try { json = await r.json(); } catch (e) { json = {}; }
      if (!r.ok) {
        throw new ApiError(r.status, json.error || "error",
                           json.message || "操作没有完成（" + r.status + "）", json.detail);
      }
      return json;
    }
    throw last;
  }

  /** Follow the event stream: every event once and in order, resuming after the last id;
      `status(true|false)` at once when the link comes or goes (no message for `staleMs`). */
  function follow(url, lastId, onEvent, status, staleMs) {
    let last = lastId || 0, es = null, timer = null, live = null;
    const limit = staleMs || 6000;
    const set = (up) => { if (up !== live) { live = up; status(up); } };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => { set(false); reopen(); }, limit);
    };
    const handle = (m) => {
      arm(); set(true);
      if (!m.data) return;
      let ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      if (ev.id === undefined && m.lastEventId) ev.id = Number(m.lastEventId);
      if (ev.type === undefined && m.type && m.type !== "message") ev.type = m.type;
      if (m.type === "resync") { onEvent({ type: "resync" }); return; }
      if (typeof ev.id !== "number" || ev.id <= last) return;
      last = ev.id;
      onEvent(ev);
    };
    function open() {
      const sep = url.indexOf("?") < 0 ? "?" : "&";
      es = new EventSource(url + sep + "after=" + last);
      es.onopen = () => { arm(); set(true); };
      es.onmessage = handle;
      for (const t of (body.eventTypes || "").split(",").filter(Boolean)) {
        es.addEventListener(t, handle);
      }
      es.addEventListener("ping", handle);
      es.addEventListener("resync", handle);
      es.onerror = () => { set(false); };
      arm();
    }
    function reopen() { if (es) es.close(); setTimeout(open, 500); }
    open();
    return { close() { clearTimeout(timer); if (es) es.close(); }, get last() { return last; } };
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined) e.append(c.nodeType ? c : document.createTextNode(c));
    }
    return e;
  }

  function hhmm(d) {
    const t = d || new Date();
    return String(t.getHours()).padStart(2, "0") + ":" + String(t.getMinutes()).padStart(2, "0");
  }

  const WEEK = "日一二三四五六";
  function dateText(d) {
    const t = d || new Date();
    return (t.getMonth() + 1) + "月" + t.getDate() + "日 星期" + WEEK[t.getDay()];
  }

  /** A ticket and window from an event in either shape (nested, or flat as the log keeps). */
  function ticketOf(ev) {
    if (ev.ticket && ev.ticket.number) {
      const t = ev.ticket;
      return Object.assign({}, t, { id: t.id || t.ticket_id, service: t.service || t.service_prefix });
    }
    if (!ev.number) return null;
    const d = ev.data || {};
    return Object.assign({}, d, { id: ev.ticket_id || "", number: ev.number,
                                  service: ev.service || "" });
  }
  function windowOf(ev) {
    const w = ev.window;
    if (w && typeof w === "object") return { number: w.number, name: w.name || w.number + "号窗口" };
    const n = (w !== undefined && w !== null) ? w : ev.window_no;
    if (n === undefined || n === null || n === "") return null;
    return { number: Number(n), name: ((ev.data || {}).window_name) || n + "号窗口" };
  }
  function dataOf(ev) { return Object.assign({}, ev, ev.data || {}); }

  return { api, follow, requestId, ApiError, el, hhmm, dateText, ticketOf, windowOf, dataOf,
           token, setToken, NETWORK };
})();
