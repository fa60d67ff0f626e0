// Forms that write: notes, analyst-asserted ties, identity judgements. Each write
// names the analyst (asked once, kept in this browser) and then re-renders the page.

import { api, forgetTies } from "./api.js";
import { h } from "./dom.js";
import { entityPicker } from "./search.js";
import { setAnalyst, state } from "./state.js";

function changed() {
  forgetTies();
  window.dispatchEvent(new CustomEvent("threadline:changed"));
}

function modal(title, body, submitLabel, onSubmit) {
  const error = h("p", { class: "error", hidden: true });
  const form = h(
    "form",
    { method: "dialog", class: "dialog-form" },
    h("h3", {}, title),
    body,
    error,
    h(
      "div",
      { class: "dialog-buttons" },
      h("button", { type: "button", class: "cancel", onclick: () => dialog.close() }, "Cancel"),
      h("button", { type: "submit", class: "primary" }, submitLabel),
    ),
  );
  const dialog = h("dialog", { class: "modal" }, form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      await onSubmit();
      dialog.close();
      changed();
    } catch (err) {
      error.textContent = String(err.message || err);
      error.hidden = false;
    }
  });
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

function analystField() {
  return h(
    "label",
    {},
    "Analyst",
    h("input", { name: "analyst", required: true, maxlength: 200, value: state.analyst, placeholder: "your name or call sign" }),
  );
}

function takeAnalyst(form) {
  const name = form.querySelector("[name=analyst]").value.trim();
  if (!name) throw new Error("say who you are: the analyst's name is stored with what you add");
  setAnalyst(name);
  document.dispatchEvent(new CustomEvent("threadline:analyst"));
  return name;
}

export function noteForm(kind, target) {
  const text = h("textarea", { name: "text", rows: 3, maxlength: 10000, placeholder: "Add a note (stored with your name)…" });
  const analyst = h("input", { name: "analyst", maxlength: 200, value: state.analyst, placeholder: "analyst" });
  const error = h("p", { class: "error", hidden: true });
  const form = h(
    "form",
    { class: "note-form" },
    text,
    h("div", { class: "row" }, analyst, h("button", { type: "submit", class: "small primary" }, "Add note")),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const who = takeAnalyst(form);
      if (!text.value.trim()) throw new Error("the note is empty");
      await api.post("/notes", { target_kind: kind, target, analyst: who, text: text.value });
      changed();
    } catch (err) {
      error.textContent = String(err.message || err);
      error.hidden = false;
    }
  });
  return form;
}

export function assertTieDialog(entity) {
  let other = null;
  const types = (state.meta ? state.meta.tie_types : []).map((t) =>
    h("option", { value: t.name }, `${t.name.replaceAll("_", " ")} — ${t.meaning}`),
  );
  const typeSelect = h("select", { name: "type" }, types);
  const statement = h("textarea", { name: "statement", rows: 3, required: true, placeholder: "What you know, and how (e.g. met in Molenbeek in 2014; interview of 3 May)" });
  const detail = h("input", { name: "detail", maxlength: 500, placeholder: "detail (optional): brothers, cellmates…" });
  const body = h(
    "div",
    {},
    h("p", { class: "muted small" }, `A tie from “${entity.name}” that you know of. Its evidence is you and your statement; it is drawn dotted and labelled as analyst-asserted.`),
    h("label", {}, "Other entity", entityPicker({ placeholder: "type a name…", onPick: (e) => { other = e; } })),
    h("label", {}, "Type", typeSelect),
    h("label", {}, "Detail", detail),
    h("label", {}, "Statement", statement),
    analystField(),
  );
  const dialog = modal("Assert a tie", body, "Assert tie", async () => {
    const who = takeAnalyst(dialog);
    if (!other) throw new Error("choose the other entity from the list");
    await api.post("/asserted-ties", {
      type: typeSelect.value,
      source: entity.id,
      target: other.id,
      analyst: who,
      statement: statement.value,
      detail: detail.value,
    });
  });
}

export function judgeDialog(entity) {
  let other = null;
  const verdict = h(
    "select",
    { name: "verdict" },
    h("option", { value: "same" }, "the same identity (merge)"),
    h("option", { value: "not_same" }, "not the same (keep apart)"),
    h("option", { value: "unsure" }, "unsure (record the doubt)"),
  );
  const reason = h("textarea", { name: "reason", rows: 2, placeholder: "why (kept with the judgement)" });
  const body = h(
    "div",
    {},
    h("p", { class: "muted small" }, `Judge “${entity.name}” against another entity. Judgements are stored with your name and time, respected on every re-run, and can be undone.`),
    h("label", {}, "Other entity", entityPicker({ placeholder: "type a name…", onPick: (e) => { other = e; } })),
    h("label", {}, "Verdict", verdict),
    h("label", {}, "Reason", reason),
    analystField(),
  );
  const dialog = modal("Identity judgement", body, "Record judgement", async () => {
    const who = takeAnalyst(dialog);
    if (!other) throw new Error("choose the other entity from the list");
    const result = await api.post("/judgements", { a: entity.id, b: other.id, verdict: verdict.value, analyst: who, reason: reason.value });
    if (result.entities && result.entities.length && !result.entities.includes(entity.id)) {
      window.location.hash = `#/entity/${encodeURIComponent(result.entities[0])}`;
    }
  });
}

export function splitDialog(entity) {
  const names = [...entity.names, ...entity.aliases];
  const boxes = names.map((n) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", value: n.name }), ` ${n.name}`, n.alias ? " (alias)" : ""),
  );
  const reason = h("textarea", { name: "reason", rows: 2, placeholder: "why (kept with the judgement)" });
  const body = h(
    "div",
    {},
    h("p", { class: "muted small" }, "The mentions carrying the names you tick become another identity; re-runs keep the parts apart."),
    h("div", { class: "checks" }, boxes),
    h("label", {}, "Reason", reason),
    analystField(),
  );
  const dialog = modal(`Split “${entity.name}”`, body, "Split", async () => {
    const who = takeAnalyst(dialog);
    const chosen = boxes.map((b) => b.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
    if (!chosen.length) throw new Error("tick the names to split off");
    await api.post(`/entities/${encodeURIComponent(entity.id)}/split`, { names: chosen, analyst: who, reason: reason.value });
  });
}

export async function undoLast() {
  const body = h("div", {}, h("p", {}, "Undo the last judgement? An undo is recorded too; nothing is erased."), analystField());
  const dialog = modal("Undo last judgement", body, "Undo", async () => {
    const who = takeAnalyst(dialog);
    await api.post("/judgements/undo", { analyst: who });
  });
}
