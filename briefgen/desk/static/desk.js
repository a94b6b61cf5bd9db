// The desk without this script is complete (forms post, filters are links); the script adds keyboard comfort:
// Ctrl+Enter confirms and moves to the next text, Esc reverts, checks run while typing, saves stay on the page.
(function () {
  "use strict";
  const body = document.body;
  const lang = body.dataset.lang;
  const csrf = body.dataset.csrf;
  const reviewer = document.getElementById("reviewer");

  function post(url, data) {
    const form = new URLSearchParams(data);
    form.set("csrf", csrf);
    return fetch(url, { method: "POST", body: form, credentials: "same-origin",
                        headers: { "Accept": "application/json" } });
  }

  function esc(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function showChecks(form, checks) {
    const list = form.querySelector("[data-role=checks]");
    list.replaceChildren();
    for (const f of checks) {
      const li = document.createElement("li");
      li.className = f.severity;
      const strong = document.createElement("strong");
      strong.textContent = f.severity;
      li.append(strong, " " + f.message);
      list.append(li);
    }
  }

  const timers = new WeakMap();
  function scheduleCheck(form, area) {
    clearTimeout(timers.get(area));
    timers.set(area, setTimeout(async () => {
      const seg = form.elements.seg.value;
      const res = await post("/" + lang + "/check", { seg: seg, text: area.value });
      if (res.ok) showChecks(form, (await res.json()).checks);
    }, 250));
  }

  function nextArea(area) {
    const all = Array.from(document.querySelectorAll("form[data-role=form] textarea"));
    return all[all.indexOf(area) + 1] || null;
  }

  async function confirmText(form, area) {
    const name = reviewer.value.trim();
    if (!name) { reviewer.focus(); reviewer.setAttribute("aria-invalid", "true"); return; }
    form.elements.reviewer.value = name;
    const saved = form.querySelector("[data-role=saved]");
    const conflict = form.querySelector("[data-role=conflict]");
    saved.textContent = "Saving…";
    const res = await post(form.action, new FormData(form));
    const data = await res.json().catch(() => ({ message: "unexpected answer (" + res.status + ")" }));
    saved.dataset.state = "";
    if (res.status === 409) {
      saved.textContent = "Not saved";
      saved.dataset.state = "error";
      const mark = form.closest("article").querySelector("[data-role=status]");
      mark.textContent = "Changed by someone else";
      mark.className = "badge badge-changed";
      conflict.hidden = false;
      conflict.innerHTML = "<h4>Not saved: someone else changed this text since you loaded it</h4>" +
        "<div class=both><section><h2>Saved now</h2><p class=text data-role=theirs lang=" + lang + ">" +
        esc(data.current) + "</p></section><section><h2>Yours</h2><p class=text data-role=mine lang=" + lang +
        ">" + esc(data.mine) + "</p></section></div>" +
        "<p>Press <kbd>Ctrl</kbd>+<kbd>Enter</kbd> again to save yours over theirs, or <kbd>Esc</kbd> to take theirs.</p>";
      conflict.querySelectorAll("[lang]").forEach((p) => { p.dir = area.dir; });
      form.elements.version.value = data.version;        // a second confirmation is a conscious overwrite
      area.dataset.theirs = data.current;
      area.focus();
      return;
    }
    if (!res.ok) {
      saved.textContent = "Not saved: " + (data.message || res.status);
      saved.dataset.state = "error";
      return;
    }
    conflict.hidden = true;
    delete area.dataset.theirs;
    form.elements.version.value = data.version;
    area.value = data.text;
    area.defaultValue = data.text;
    const badge = form.closest("article").querySelector("[data-role=status]");
    badge.textContent = data.status_label;
    badge.className = "badge badge-" + data.status;
    form.closest("article").className = "seg status-" + data.status;
    saved.textContent = "Saved as reviewed by " + name;
    showChecks(form, data.checks);
    document.getElementById("progress").textContent = data.progress;
    const next = nextArea(area);
    if (next) { next.focus(); next.closest("article").scrollIntoView({ block: "center" }); }
  }

  document.querySelectorAll("form[data-role=form]").forEach((form) => {
    const area = form.querySelector("textarea");
    if (!area) return;
    form.addEventListener("submit", (ev) => { ev.preventDefault(); confirmText(form, area); });
    area.addEventListener("input", () => {
      form.querySelector("[data-role=saved]").textContent = "";
      scheduleCheck(form, area);
    });
    area.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        confirmText(form, area);
      } else if (ev.key === "Escape") {
        ev.preventDefault();
        area.value = area.dataset.theirs !== undefined ? area.dataset.theirs : area.defaultValue;
        form.querySelector("[data-role=saved]").textContent = "Reverted";
        scheduleCheck(form, area);
      }
    });
  });

  if (reviewer) {
    reviewer.closest("form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      post("/reviewer", { reviewer: reviewer.value, back: "" });
      reviewer.removeAttribute("aria-invalid");
    });
    reviewer.addEventListener("change", () => {
      post("/reviewer", { reviewer: reviewer.value, back: "" });
      reviewer.removeAttribute("aria-invalid");
    });
  }
})();
