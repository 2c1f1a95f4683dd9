/* The rating page a slip's QR code opens on the citizen's phone: /rate/{ticket}?k={code}.
   Five levels; on 不满意 / 非常不满意 the reason. One rating per ticket. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const E = Hall.el;
  const cfg = document.body.dataset;
  const LEVELS = [[5, "非常满意", "😀"], [4, "满意", "🙂"], [3, "基本满意", "😐"],
                  [2, "不满意", "🙁"], [1, "非常不满意", "😞"]];
  const REASONS = JSON.parse(cfg.reasons || "{}"), CAUSES = JSON.parse(cfg.causes || "{}");
  const chosen = { level: 0, reasons: new Set(), causes: new Set() };
  const path = "/api/rate/" + encodeURIComponent(cfg.ticket) + "?k=" + encodeURIComponent(cfg.code);
  const rid = Hall.requestId();      // one rating: every retry of it carries the same id

  function show(id) {
    for (const s of ["ask", "why", "thanks"]) $(s).classList.toggle("hidden", s !== id);
  }

  function toggles(box, names, set) {
    box.replaceChildren(...Object.entries(names).map(([code, name]) =>
      E("button", { type: "button", class: "secondary", "data-code": code,
                    "aria-pressed": String(set.has(code)),
                    onclick: (ev) => {
                      set.has(code) ? set.delete(code) : set.add(code);
                      ev.currentTarget.setAttribute("aria-pressed", String(set.has(code)));
                      $("send").disabled = chosen.reasons.size === 0;
                    } }, name)));
  }

  async function send() {
    $("error").textContent = "";
    $("send").disabled = true;
    try {
      await Hall.api("POST", path, { level: chosen.level, reasons: [...chosen.reasons],
                                     causes: [...chosen.causes] }, { requestId: rid });
      $("thanks-text").textContent = "您的评价：" + LEVELS.find((l) => l[0] === chosen.level)[1];
      show("thanks");
    } catch (e) {
      if (e.code === "already_rated") { $("thanks-text").textContent = e.message; show("thanks"); }
      else $("error").textContent = e.message;
      $("send").disabled = chosen.level <= 2 && chosen.reasons.size === 0;
    }
  }

  function pick(level) {
    chosen.level = level;
    if (level <= 2) { show("why"); $("send").disabled = chosen.reasons.size === 0; }
    else send();
  }

  $("levels").replaceChildren(...LEVELS.map(([lv, name, face]) =>
    E("button", { type: "button", class: "secondary", "data-level": String(lv),
                  onclick: () => pick(lv) }, E("span", { class: "face" }, face), name)));
  toggles($("reasons"), REASONS, chosen.reasons);
  toggles($("causes"), CAUSES, chosen.causes);
  $("back").addEventListener("click", () => show("ask"));
  $("send").addEventListener("click", send);

  Hall.api("GET", path).then((t) => {
    $("hall").textContent = t.hall || "服务评价";
    $("about").textContent = t.number + " 号 · " + (t.window ? t.window + "号窗口" : "") +
      (t.service_name ? " · " + t.service_name : "");
    if (t.rated) { $("thanks-text").textContent = "这张号已经评价过了，谢谢您。"; show("thanks"); }
    else if (!t.ratable) { $("prompt").textContent = "办理完成后才能评价"; $("levels").replaceChildren(); }
  }).catch((e) => {
    $("prompt").textContent = e.status === 404 || e.status === 403 ? "这个评价链接不对，请扫描小票上的二维码"
      : "暂时连不上评价服务，请稍后再试";
    $("levels").replaceChildren();
  });
})();
