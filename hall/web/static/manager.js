/* 大厅管理: every window's state, waiting per service, 差评 alerts (they stay until someone
   acknowledges them), today's report and ratings, CSV export for the provincial system. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const E = Hall.el;
  const cfg = document.body.dataset;
  const S = { staff: "", live: false, stream: null, lostAt: null, state: null, alerts: [],
              report: null, ratings: null };
  const WSTATE = { closed: "未开放", open: "空闲", paused: "暂停", serving: "服务中" };

  function render() {
    $("who").textContent = S.staff ? "工号 " + S.staff : "";
    const link = $("link");
    link.classList.toggle("hidden", !S.stream || S.live);
    link.textContent = "与叫号服务的连接中断（" + Hall.hhmm(S.lostAt) + "），以下为最后一次的情况";
    const st = S.state;
    if (st) {
      $("windows").replaceChildren(
        E("tr", {}, E("th", {}, "窗口"), E("th", {}, "状态"), E("th", {}, "工号"), E("th", {}, "当前号")),
        ...st.windows.map((w) => E("tr", { "data-window": String(w.number) },
          E("td", {}, w.name), E("td", { class: "state-" + w.state },
            (WSTATE[w.state] || w.state) + (w.paused_reason ? "（" + w.paused_reason + "）" : "")),
          E("td", {}, w.staff || "—"), E("td", {}, w.ticket ? w.ticket.number : "—"))));
      $("services").replaceChildren(
        E("tr", {}, E("th", {}, "业务"), E("th", {}, "等候"), E("th", {}, "今日取号"), E("th", {}, "取号")),
        ...st.services.map((s) => E("tr", {}, E("td", {}, s.name), E("td", {}, s.waiting + " 人"),
          E("td", {}, String(s.issued)), E("td", {}, s.is_open ? "开放" : "暂停"))));
    }
    $("alert-count").textContent = S.alerts.length ? "（" + S.alerts.length + " 条未处理）" : "";
    $("alerts-card").classList.toggle("quiet", !S.alerts.length);
    $("alerts").replaceChildren(...(S.alerts.length ? S.alerts.map((a) =>
      E("div", { class: "alert", "data-rating": a.rating_id },
        E("span", {}, E("b", {}, a.level_name), "  ", a.number, " 号 · ",
          a.window ? a.window + "号窗口" : "", " · 工号 ", a.staff || "—", " · ",
          (a.created_at || "").slice(11, 16), a.reason_names.length ? " · 原因：" + a.reason_names.join("、") : ""),
        E("button", { type: "button", onclick: () => ack(a) }, "已跟进处理")))
      : [E("p", { class: "muted" }, "没有待处理的差评。")]));
    renderReport();
    renderRatings();
  }

  function renderReport() {
    const r = S.report;
    if (!r) return;
    $("report-day").textContent = r.day || "";
    const all = r.totals || r.all || {};
    const fig = (label, v) => E("span", {}, label, E("b", {}, v === undefined ? "—" : String(v)));
    const secs = (x) => (x === null || x === undefined) ? "—" : Math.round(x / 60) + " 分钟";
    const w = all.wait || {}, h = all.handling || {};
    $("report").replaceChildren(E("div", { class: "figures", id: "report-figures" },
      fig("取号", all.issued), fig("办完", all.served), fig("过号", all.no_show),
      fig("转移", all.transferred), fig("作废", all.void),
      fig("等候（中位）", secs(w.p50)), fig("办理（中位）", secs(h.p50))));
  }

  function renderRatings() {
    const s = S.ratings;
    if (!s) return;
    const a = s.all;
    const rows = Object.entries(s.per_window).map(([name, p]) => E("tr", {}, E("td", {}, name),
      E("td", {}, String(p.count)), E("td", {}, (p.satisfied_share * 100).toFixed(1) + "%"),
      E("td", {}, String(p.bad))));
    $("ratings").replaceChildren(
      E("div", { class: "figures", id: "rating-figures" },
        ...Object.entries(a.levels).map(([k, v]) => E("span", {}, k, E("b", {}, String(v)))),
        E("span", {}, "满意率", E("b", {}, a.count ? (a.satisfied_share * 100).toFixed(1) + "%" : "—"))),
      E("table", {}, E("tr", {}, E("th", {}, "窗口"), E("th", {}, "评价"), E("th", {}, "满意率"),
                     E("th", {}, "差评")), ...rows));
  }

  async function ack(a) {
    try {
      await Hall.api("POST", "/api/ratings/" + encodeURIComponent(a.rating_id) + "/ack", {});
      await loadRatings();
    } catch (e) { alert(e.message); }
  }

  async function loadState() { S.state = await Hall.api("GET", "/api/state"); }
  async function loadRatings() {
    const r = await Hall.api("GET", "/api/ratings");
    S.alerts = r.open_alerts; S.ratings = r.summary;
    render();
  }
  async function loadReport() {
    try { S.report = await Hall.api("GET", "/api/report"); } catch (e) { /* keep the last */ }
  }

  let timer = null;
  function soon(all) {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try { await loadState(); if (all) { await loadRatings(); await loadReport(); } }
      catch (e) { if (e.status === 401) out("登录已失效，请重新登录。"); }
      render();
    }, 150);
  }

  function start(staff) {
    S.staff = staff;
    $("login-view").classList.add("hidden");
    $("work-view").classList.remove("hidden");
    S.stream = Hall.follow("/api/events", 0, (ev) => soon(true), (up) => {
      S.live = up; if (!up) S.lostAt = new Date(); else soon(true);
      render();
    }, Number(cfg.staleMs || 6000));
    soon(true);
  }

  function out(message) {
    Hall.setToken("");
    sessionStorage.removeItem("hall-manager");
    if (S.stream) S.stream.close();
    S.stream = null;
    $("work-view").classList.add("hidden");
    $("login-view").classList.remove("hidden");
    $("login-error").textContent = message;
  }

  $("login").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("login-button").disabled = true;
    try {
      const res = await Hall.api("POST", "/api/staff/login",
                                 { staff: $("staff").value.trim(), pin: $("pin").value });
      Hall.setToken(res.token);
      if (res.role !== "manager") {
        await Hall.api("POST", "/api/staff/logout", {}, { tries: 1 }).catch(() => null);
        Hall.setToken("");
        throw new Hall.ApiError(403, "forbidden", "这个页面需要大厅负责人登录。");
      }
      sessionStorage.setItem("hall-manager", res.staff);
      start(res.staff);
    } catch (e) { $("login-error").textContent = e.message; }
    finally { $("login-button").disabled = false; $("pin").value = ""; }
  });

  $("logout").addEventListener("click", async () => {
    try { await Hall.api("POST", "/api/staff/logout", {}); } catch (e) { /* leave anyway */ }
    out("");
  });

  $("csv").addEventListener("click", async () => {
    const r = await fetch("/api/ratings.csv", { headers: { Authorization: "Bearer " + Hall.token() } });
    if (!r.ok) { alert("导出没有成功（" + r.status + "）"); return; }
    const blob = await r.blob();
    const a = E("a", { href: URL.createObjectURL(blob), download: "haochaping-" +
                       new Date().toISOString().slice(0, 10) + ".csv" });
    document.body.append(a); a.click(); a.remove();
  });

  const saved = sessionStorage.getItem("hall-manager");
  if (saved && Hall.token()) start(saved);
})();
