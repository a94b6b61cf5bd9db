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

  // "checks pass" is said, not left to an empty area: a text typed and checked with nothing found
  function showChecks(form, checks, text) {
    const list = form.querySelector("[data-role=checks]");
    form.querySelector("[data-role=pass]").hidden = checks.length > 0 || !text.trim();
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
      if (res.ok) showChecks(form, (await res.json()).checks, area.value);
    }, 250));
  }

  // a field whose text differs from the saved translation is marked, and leaving the page then asks first
  function markEdited(form, area) {
    const article = form.closest("article");
    const edited = area.value !== area.defaultValue;
    article.querySelector("[data-role=edited]").hidden = !edited;
    article.classList.toggle("dirty", edited);
  }

  function unsaved() {
    return Array.from(document.querySelectorAll("form[data-role=form] textarea"))
      .some((area) => area.value !== area.defaultValue);
  }

  window.addEventListener("beforeunload", (ev) => {
    if (unsaved()) { ev.preventDefault(); ev.returnValue = ""; }
  });

  // the counts of the filters: the statuses' from the save's answer, the findings' (QA errors, Warnings)
  // moved by the saved text's own findings, the only ones a save changes
  function updateCounts(article, data) {
    for (const [key, n] of Object.entries(data.counts)) {
      document.querySelectorAll("[data-count=" + key + "]").forEach((el) => { el.textContent = n; });
    }
    const last = (article.dataset.lastQa || "").split(" ");
    for (const [key, severity] of [["qa", "error"], ["warnings", "warning"]]) {
      const now = last.includes(severity) || data.checks.some((f) => f.severity === severity);
      const was = article.dataset[severity] === "1";
      article.dataset[severity] = now ? "1" : "0";
      document.querySelectorAll("[data-count=" + key + "]").forEach((el) => {
        el.textContent = Math.max(0, Number(el.textContent) + (now ? 1 : 0) - (was ? 1 : 0));
      });
    }
    const done = document.getElementById("done");
    done.hidden = !data.finish;
    done.querySelector("[data-role=finish]").textContent = data.finish;
    return data.done ? done : null;
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
    showChecks(form, data.checks, data.text);
    markEdited(form, area);
    document.getElementById("progress").textContent = data.progress;
    const finished = updateCounts(form.closest("article"), data);
    const next = nextArea(area);
    if (finished) { finished.focus(); finished.scrollIntoView({ block: "center" }); }
    else if (next) { next.focus(); next.closest("article").scrollIntoView({ block: "center" }); }
  }

  document.querySelectorAll("form[data-role=form]").forEach((form) => {
    const area = form.querySelector("textarea");
    if (!area) return;
    form.addEventListener("submit", (ev) => { ev.preventDefault(); confirmText(form, area); });
    area.addEventListener("input", () => {
      form.querySelector("[data-role=saved]").textContent = "";
      markEdited(form, area);
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
        markEdited(form, area);
        scheduleCheck(form, area);
      }
    });
  });

  // keeping the name says so: which name each confirmation will be recorded with
  async function keepName() {
    const kept = document.querySelector("[data-role=kept]");
    const res = await post("/reviewer", { reviewer: reviewer.value, back: "" });
    const name = res.ok ? (await res.json()).reviewer : "";
    reviewer.removeAttribute("aria-invalid");
    kept.textContent = name ? "✓ Kept: texts you confirm are recorded as reviewed by " + name
                            : "Not kept: give your name";
  }

  if (reviewer) {
    reviewer.closest("form").addEventListener("submit", (ev) => { ev.preventDefault(); keepName(); });
    reviewer.addEventListener("change", keepName);
  }
})();
