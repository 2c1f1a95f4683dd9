/* 窗口叫号: the window's page. Log in (工号 + PIN, choose the window), then the current ticket,
   the actions (each with a key), the waiting numbers of this window's services (numbers only)
   and today's counts — live from the event stream. While the link is down every action is
   disabled and the page says so; each click carries a request id, so a double click or a
   retried request never acts twice. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const E = Hall.el;
  const cfg = document.body.dataset;
  const S = { info: null, staff: "", name: "", window: 0, view: null, waiting: null, today: null,
              live: false, busy: false, lastRecall: 0, stream: null, lostAt: null };
  const CHECK = JSON.parse(cfg.checks || "{}");      // hall.toml [[priority]].check
  const STATE = { called: "已呼叫，等候到窗口", serving: "正在办理" };
  const WSTATE = { closed: "未登录", open: "空闲", paused: "暂停服务", serving: "服务中" };

  // ---- actions and their keys ------------------------------------------------------------------
  const ACTIONS = [
    { id: "next", label: "呼叫下一位", key: "1", wide: true },
    { id: "recall", label: "重呼", key: "2" },
    { id: "start", label: "开始办理", key: "3" },
    { id: "no-show", label: "过号", key: "4" },
    { id: "transfer", label: "转移", key: "5" },
    { id: "finish", label: "完成", key: "6" },
    { id: "pause", label: "暂停", key: "7" },
    { id: "logout", label: "退出", key: "0" },
  ];

  function ticket() { return S.view && S.view.ticket ? S.view.ticket : null; }
  function paused() { return S.view && S.view.state === "paused"; }

  function enabled(id) {
    if (!S.live || S.busy || !S.view) return id === "logout" && !S.busy;
    const t = ticket();
    switch (id) {
      case "next": return !paused();
      case "recall": return !!t && t.state === "called" && !paused() && recallWait() <= 0;
      case "start": return !!t && t.state === "called" && !paused();
      case "no-show": return !!t && t.state === "called";
      case "transfer": case "finish": return !!t;
      case "pause": return paused() || !t;      // the hall pauses a window with none open
      default: return true;
    }
  }

  function recallWait() {
    const gap = Number((S.info || {}).recall_interval_s || 0) * 1000;
    const t = ticket();
    const last = Math.max(S.lastRecall, t && t.called_at ? Date.parse(t.called_at) : 0);
    return Math.ceil((last + gap - Date.now()) / 1000);
  }

  function renderActions() {
    const box = $("actions");
    box.replaceChildren(...ACTIONS.map((a) => {
      let label = a.label;
      if (a.id === "pause" && paused()) label = "恢复服务";
      if (a.id === "recall" && ticket() && recallWait() > 0) label = "重呼（" + recallWait() + "秒）";
      return E("button", { type: "button", id: "act-" + a.id, class: a.wide ? "wide" : "",
                           "data-action": a.id, disabled: !enabled(a.id),
                           onclick: () => perform(a.id) },
               E("span", {}, label), E("kbd", {}, a.key));
    }));
    if (paused()) {
      box.prepend(E("p", { class: "banner paused-note" },
                    "本窗口暂停服务" + (S.view.paused_reason ? "：" + S.view.paused_reason : "")));
    }
  }

  function renderCurrent() {
    const t = ticket();
    const box = $("current");
    if (!t) { box.replaceChildren(E("div", { class: "empty" }, "当前没有号。按“呼叫下一位”开始。")); return; }
    const svc = serviceName(t.service_prefix || t.service);
    const since = t.printed_at || t.issued_at;
    const waited = since ? Math.max(0, Math.round((Date.parse(t.called_at || Date.now()) -
                                                   Date.parse(since)) / 60000)) : null;
    const check = t.priority === "declared"
      ? "优先（" + t.declared + "）：" + (CHECK[t.declared] || "请核验")
      : t.priority === "age" ? "高龄优先（取号时已按身份证核验，不用再查）" : "";
    box.replaceChildren(...[
      E("div", { class: "number", id: "current-number" }, t.number),
      E("div", { class: "service" }, svc, t.priority ? "  · 优先" : ""),
      E("span", { class: "state" }, STATE[t.state] || t.state),
      check ? E("div", { class: "check" }, check) : null,
      E("div", { class: "facts" },
        E("span", {}, "已等 ", E("b", {}, waited === null ? "—" : String(waited)), " 分钟"),
        E("span", {}, "已呼叫 ", E("b", { id: "current-calls" }, String(t.calls || 0)), " 次"))
    ].filter(Boolean));
  }

  function serviceName(prefix) {
    const s = ((S.info || {}).services || []).find((x) => x.prefix === prefix);
    return s ? s.name : prefix || "";
  }

  function renderWaiting() {
    if (S.waiting === null) {            // not read yet: say so, never "nobody is waiting"
      $("waiting-count").textContent = "";
      $("waiting").replaceChildren(E("p", { class: "muted" }, "正在读取…"));
      return;
    }
    $("waiting-count").textContent = "（" + S.waiting.length + " 人）" +
      (S.stream && !S.live ? " · 连接中断前的情况" : "");
    $("waiting").replaceChildren(S.waiting.length
      ? E("div", { class: "numbers", id: "waiting-numbers" },
          ...S.waiting.map((t) => E("span", {}, t.number)))
      : E("p", { class: "muted" }, "现在没有人等候。"));
  }

  function renderToday() {
    const d = S.today;
    if (!d) { $("today").replaceChildren(E("p", { class: "muted" }, "正在读取…")); return; }
    $("today").replaceChildren(E("dl", { id: "today-counts" },
      E("dt", {}, "本窗口已办完"), E("dd", {}, d.done + " 人"),
      E("dt", {}, "本窗口过号"), E("dd", {}, d.noShow + " 人"),
      E("dt", {}, "本窗口转出"), E("dd", {}, d.transferred + " 人"),
      E("dt", {}, "本窗口业务今日取号"), E("dd", {}, d.issued + " 人")));
  }

  function renderHeader() {
    const w = S.view;
    $("title").textContent = w ? w.name + " · 窗口叫号" : "窗口叫号";
    $("who").textContent = w ? "工号 " + S.staff + (S.name ? "（" + S.name + "）" : "") + " · " +
      (WSTATE[w.state] || w.state) : "";
    const link = $("link");
    if (S.stream && !S.live) {
      link.textContent = "与叫号服务的连接中断（" + Hall.hhmm(S.lostAt) + "），暂时不能操作，正在重新连接…";
      link.classList.remove("hidden");
    } else link.classList.add("hidden");
  }

  function render() { renderHeader(); renderCurrent(); renderActions(); renderWaiting(); renderToday(); }

  // ---- talking to the service -------------------------------------------------------------------
  function showError(e) {
    $("action-done").textContent = "";
    $("action-error").textContent = e ? e.message : "";
    if (e && e.status === 401) { logoutLocal("登录已失效，请重新登录。"); }
  }

  async function act(action, body, requestId) {
    S.busy = true; render();
    try {
      const res = await Hall.api("POST", "/api/windows/" + S.window + "/" + action, body || {},
                                 { requestId });
      showError(null);
      if (res.window) S.view = res.window;
      if (action === "finish" || action === "no-show" || action === "transfer") S.todayAt = 0;
      await refresh();
      return res;
    } finally {
      S.busy = false; render();
    }
  }

  const DONE = { next: "已呼叫", recall: "已重呼", start: "开始办理", "no-show": "已过号",
                 transfer: "已转移", finish: "已完成", pause: "已暂停", resume: "已恢复服务" };

  async function perform(id) {
    if (!enabled(id)) return;
    const t = ticket();
    try {
      if (id === "logout") return await logout();
      if (id === "next" && t) return await confirmNext(t);
      if (id === "transfer") return await transferDialog(t);
      if (id === "finish") return await finishDialog(t);
      if (id === "pause") return paused() ? await done("resume", await act("resume")) : await pauseDialog();
      if (id === "recall") S.lastRecall = Date.now();
      await done(id, await act(id));
    } catch (e) { showError(e); }
  }

  function done(id, res) {
    const n = res && res.ticket ? res.ticket.number : "";
    $("action-done").textContent = (DONE[id] || "好") + (n ? " " + n : "");
  }

  // ---- dialogs ---------------------------------------------------------------------------------
  function dialog(title, body, buttons) {
    return new Promise((resolve) => {
      const d = $("dialog");
      $("dialog-title").textContent = title;
      $("dialog-body").replaceChildren(...[].concat(body || []));
      $("dialog-actions").replaceChildren(...buttons.map((b) =>
        E("button", { type: "button", class: b.secondary ? "secondary" : "", "data-choice": b.value,
                      onclick: () => { d.close(); resolve(b.value); } }, b.label)));
      d.onclose = () => resolve(d.returnValue === "" ? null : null);
      d.onkeydown = (ev) => {
        if (ev.key === "Enter" && !(ev.target instanceof HTMLButtonElement)) {
          ev.preventDefault();
          const first = buttons.find((b) => b.enter);
          if (first) { d.close(); resolve(first.value); }
        }
      };
      d.showModal();
      const focus = d.querySelector("input") || d.querySelector("#dialog-actions button");
      if (focus) focus.focus();
    });
  }

  async function confirmNext(t) {
    const choice = await dialog(t.number + " 还没有办完", E("p", {}, "先怎样处理 " + t.number + "，再呼叫下一位？"), [
      { label: "完成，呼叫下一位", value: "done", enter: true },
      { label: "过号，呼叫下一位", value: "no_show" },
      { label: "取消", value: null, secondary: true }]);
    if (!choice) return;
    done("next", await act("next", { close_open: choice }));
  }

  async function finishDialog(t) {
    const input = E("input", { id: "case-no", maxlength: "64", placeholder: "可不填" });
    const choice = await dialog("完成 " + t.number, [E("label", { for: "case-no" }, "办件编号（可不填）"), input], [
      { label: "完成", value: "ok", enter: true }, { label: "取消", value: null, secondary: true }]);
    if (!choice) return;
    done("finish", await act("finish", { case_no: input.value.trim() }));
  }

  async function pauseDialog() {
    const other = E("input", { id: "pause-other", maxlength: "40", placeholder: "其他原因" });
    const reasons = ["午间休息", "临时离开", "系统故障"];
    const choice = await dialog("暂停服务", [E("p", {}, "请选择原因："), other],
      [...reasons.map((r) => ({ label: r, value: r })),
       { label: "用上面填写的原因", value: "__other", enter: true },
       { label: "取消", value: null, secondary: true }]);
    if (!choice) return;
    const reason = choice === "__other" ? (other.value.trim() || "其他") : choice;
    done("pause", await act("pause", { reason }));
  }

  async function transferDialog(t) {
    const info = S.info || {};
    const services = (info.services || []).filter((s) => s.prefix !== (t.service_prefix || ""));
    const windows = (info.windows || []).filter((w) => w.number !== S.window);
    const choice = await dialog("转移 " + t.number + "（号码不变）", E("p", {}, "转到哪项业务或哪个窗口？"), [
      ...services.map((s) => ({ label: "业务：" + s.name, value: "s:" + s.prefix })),
      ...windows.map((w) => ({ label: "窗口：" + w.name, value: "w:" + w.number })),
      { label: "取消", value: null, secondary: true }]);
    if (!choice) return;
    const body = choice.startsWith("s:") ? { service: choice.slice(2) } : { window: Number(choice.slice(2)) };
    done("transfer", await act("transfer", body));
  }

  // ---- keys ----------------------------------------------------------------------------------
  document.addEventListener("keydown", (ev) => {
    if ($("dialog").open || $("work-view").classList.contains("hidden")) return;
    if (ev.target instanceof HTMLInputElement) return;
    const key = ev.code && ev.code.startsWith("Numpad") ? ev.code.slice(6) : ev.key;
    const a = ACTIONS.find((x) => x.key === key);
    if (a) { ev.preventDefault(); perform(a.id); }
  });

  // ---- live data -------------------------------------------------------------------------------
  let refreshing = null;
  async function refresh() {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      try {
        const w = await Hall.api("GET", "/api/windows/" + S.window);
        S.view = w.window;
        const queues = await Promise.all((S.view.services || []).map((p) =>
          Hall.api("GET", "/api/queue/" + encodeURIComponent(p))));
        S.waiting = queues.flatMap((q) => q.tickets || []);
        if (Date.now() - S.todayAt > TODAY_EVERY_MS) await loadToday();
      } catch (e) {
        if (e.status === 401) logoutLocal("登录已失效，请重新登录。");
      } finally { refreshing = null; render(); }
    })();
    return refreshing;
  }

  // Today's counts come from the day's tickets. Read at most once a minute: the service's
  // ticket list also answers kiosks, and a staff token tried there first counts as a refusal.
  const TODAY_EVERY_MS = 60000;
  S.todayAt = 0;
  async function loadToday() {
    S.todayAt = Date.now();
    const all = (await Hall.api("GET", "/api/tickets")).tickets || [];
    const mine = all.filter((x) => x.window === S.window);
    const services = new Set(S.view.services || []);
    S.today = { done: mine.filter((x) => x.state === "done").length,
                noShow: mine.reduce((n, x) => n + (x.no_shows || 0), 0),
                transferred: all.filter((x) => x.transfers && x.staff === S.staff).length,
                issued: all.filter((x) => services.has(x.service_prefix) && x.state !== "void").length };
  }
  setInterval(() => { if (S.view && S.live) loadToday().then(render).catch(() => null); }, TODAY_EVERY_MS);

  let timer = null;
  function soon() { clearTimeout(timer); timer = setTimeout(refresh, 120); }

  function follow() {
    S.stream = Hall.follow("/api/events", 0, () => soon(), (up) => {
      S.live = up;
      if (!up) S.lostAt = new Date(); else soon();
      render();
    }, Number(cfg.staleMs || 6000));
  }

  // ---- login -----------------------------------------------------------------------------------
  async function loadInfo() {
    for (;;) {
      try { S.info = await Hall.api("GET", "/api/hall"); break; }
      catch (e) { $("login-error").textContent = Hall.NETWORK; await new Promise((ok) => setTimeout(ok, 1500)); }
    }
    $("login-error").textContent = "";
    const sel = $("window-no");
    sel.replaceChildren(...S.info.windows.map((w) => E("option", { value: String(w.number) }, w.name)));
    const saved = localStorage.getItem("hall-window");
    if (saved) sel.value = saved;
  }

  $("login").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = $("login-button");
    button.disabled = true;
    $("login-error").textContent = "";
    try {
      const res = await Hall.api("POST", "/api/staff/login", {
        staff: $("staff").value.trim(), pin: $("pin").value, window: Number($("window-no").value) });
      Hall.setToken(res.token);
      localStorage.setItem("hall-window", $("window-no").value);
      sessionStorage.setItem("hall-session", JSON.stringify(
        { staff: res.staff, name: res.name, window: res.window.number }));
      start(res.staff, res.name, res.window);
    } catch (e) {
      $("login-error").textContent = e.message;
    } finally { button.disabled = false; $("pin").value = ""; }
  });

  function start(staff, name, view) {
    S.staff = staff; S.name = name || ""; S.window = view.number; S.view = view;
    $("login-view").classList.add("hidden");
    $("work-view").classList.remove("hidden");
    follow();
    refresh();
  }

  async function logout() {
    const t = ticket();
    if (t) {
      const ok = await dialog("还有 " + t.number + " 没有办完", E("p", {}, "请先完成或过号，再退出。"),
                              [{ label: "知道了", value: null, enter: true }]);
      return ok;
    }
    try { await Hall.api("POST", "/api/staff/logout", {}); } catch (e) { /* leave anyway */ }
    logoutLocal("");
  }

  function logoutLocal(message) {
    Hall.setToken("");
    sessionStorage.removeItem("hall-session");
    if (S.stream) S.stream.close();
    S.stream = null; S.view = null; S.live = false; S.waiting = null; S.today = null;
    $("work-view").classList.add("hidden");
    $("login-view").classList.remove("hidden");
    $("login-error").textContent = message;
    render();
  }

  setInterval(() => { if (ticket()) { renderCurrent(); renderActions(); } }, 1000);
  loadInfo().then(() => {
    const saved = JSON.parse(sessionStorage.getItem("hall-session") || "null");
    if (saved && Hall.token()) {
      Hall.api("GET", "/api/windows/" + saved.window)
        .then((w) => start(saved.staff, saved.name, w.window)).catch(() => logoutLocal(""));
    }
  });
  render();
})();
