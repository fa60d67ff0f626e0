// The analyst's corrections (issue 18): not an entity, is a person / group / place /
// event, not this tie, this tie is of type T (and direction), role is R, (not) an
// alias, and per mention: not a name, is a name of another kind. Each one is a
// POST /api/corrections (with the session's CSRF token, like judgements and notes)
// and can be undone (POST /api/corrections/{id}/undo). The buttons of the entity page,
// the tie card and the graph's context menu are built here; the review page
// (review.js) uses correct() and undoCorrection() with the keyboard.

import { api, forgetTies } from "./api.js";
import { h, typeLabel } from "./dom.js";
import { state } from "./state.js";

export const SCHEMA_NAMES = [
  ["Person", "person", "p"],
  ["Organization", "group", "o"],
  ["Address", "place", "l"],
  ["Event", "event", "e"],
];

// Roles an analyst may give (extract.roles vocabulary, from /api/meta), by schema.
export function rolesFor(schema) {
  const roles = (state.meta && state.meta.roles) || {};
  return roles[schema] || [];
}

// Send one correction; the answer is the stored correction (id, kind, status, ...).
export async function correct(body) {
  const sent = { ...body };
  if (state.analyst) sent.analyst = state.analyst;
  const result = await api.post("/corrections", sent);
  forgetTies();
  return result;
}

export async function undoCorrection(id) {
  const body = state.analyst ? { analyst: state.analyst } : {};
  const result = await api.post(`/corrections/${encodeURIComponent(id)}/undo`, body);
  forgetTies();
  return result;
}

// What a correction says, in words.
export function describe(c) {
  if (c.kind === "undo") return `undo of #${c.undoes}`;
  const schema = Object.fromEntries(SCHEMA_NAMES.map(([s, label]) => [s, label]));
  switch (c.kind) {
    case "reject_entity":
      return "not an entity";
    case "set_schema":
      return `is a ${schema[c.schema] || c.schema}`;
    case "reject_tie":
      return "not this tie";
    case "retype_tie":
      return `tie is ${typeLabel(c.type || "")}${c.reverse ? " (reversed)" : ""}`;
    case "set_role":
      return `role is ${c.role}`;
    case "alias":
      return `“${c.name}” is an alias`;
    case "not_alias":
      return `“${c.name}” is not an alias`;
    case "reject_mention":
      return "not a name";
    case "set_mention_schema":
      return `name of a ${schema[c.schema] || c.schema}`;
    default:
      return c.kind;
  }
}

// A short-lived message at the bottom of the page, with an Undo button for the
// correction just made.
export function toast(text, correction, onUndone) {
  for (const old of document.querySelectorAll(".toast")) old.remove();
  const box = h("div", { class: "toast", role: "status", "aria-live": "polite" }, h("span", { class: "toast-text" }, text));
  if (correction && correction.id !== undefined) {
    box.append(
      h(
        "button",
        {
          class: "small",
          "aria-label": "Undo this correction",
          onclick: async () => {
            try {
              await undoCorrection(correction.id);
              box.remove();
              if (onUndone) onUndone();
            } catch (error) {
              box.querySelector(".toast-text").textContent = String(error.message || error);
            }
          },
        },
        "Undo",
      ),
    );
  }
  document.body.append(box);
  setTimeout(() => box.remove(), 8000);
  return box;
}

function changed() {
  window.dispatchEvent(new CustomEvent("threadline:changed"));
}

async function act(body, message, after) {
  const result = await correct(body);
  const dormant = result.status === "dormant" ? " (dormant: nothing in the texts carries it now)" : "";
  toast(`${message}${dormant}`, result, changed);
  if (after) after(result);
  else changed();
  return result;
}

function errorLine() {
  return h("p", { class: "error", role: "alert", hidden: true });
}

function guarded(error, fn) {
  return async () => {
    error.hidden = true;
    try {
      await fn();
    } catch (err) {
      error.textContent = String(err.message || err);
      error.hidden = false;
    }
  };
}

function rejectButton(id, label, error, fn) {
  return h("button", { class: "small danger", id, onclick: guarded(error, fn) }, label);
}

// The entity page's corrections: not an entity, kind, role, alias / not alias.
export function entityCorrections(e) {
  const error = errorLine();
  const kind = h(
    "select",
    { id: "fix-schema", "aria-label": "What this entity is" },
    SCHEMA_NAMES.map(([s, label]) => h("option", { value: s, selected: s === e.schema }, label)),
  );
  const roleSelect = h(
    "select",
    { id: "fix-role", "aria-label": "Role in the network" },
    rolesFor(e.schema).map((r) => h("option", { value: r, selected: r === e.role }, r)),
  );
  const aliasName = h("input", { id: "fix-alias", maxlength: 500, placeholder: "a name", "aria-label": "Name" });
  const reason = h("input", { id: "fix-reason", maxlength: 2000, placeholder: "reason (optional)", "aria-label": "Reason" });
  const reasonText = () => reason.value.trim() || undefined;
  return h(
    "div",
    { class: "corrections" },
    h(
      "div",
      { class: "fix-row" },
      rejectButton("fix-reject-entity", "Not an entity", error, () =>
        act({ kind: "reject_entity", entity: e.id, reason: reasonText() }, `“${e.name}” is not an entity`, () => {
          window.location.hash = "#/";
          changed();
        }),
      ),
      reason,
    ),
    h(
      "div",
      { class: "fix-row" },
      h("label", {}, "Is a ", kind),
      h(
        "button",
        {
          class: "small",
          id: "fix-schema-apply",
          onclick: guarded(error, () => act({ kind: "set_schema", entity: e.id, schema: kind.value }, `“${e.name}” ${describe({ kind: "set_schema", schema: kind.value })}`)),
        },
        "Set kind",
      ),
    ),
    rolesFor(e.schema).length
      ? h(
          "div",
          { class: "fix-row" },
          h("label", {}, "Role is ", roleSelect),
          h(
            "button",
            {
              class: "small",
              id: "fix-role-apply",
              onclick: guarded(error, () => act({ kind: "set_role", entity: e.id, role: roleSelect.value }, `“${e.name}”: role is ${roleSelect.value}`)),
            },
            "Set role",
          ),
        )
      : null,
    h(
      "div",
      { class: "fix-row" },
      aliasName,
      h(
        "button",
        {
          class: "small",
          id: "fix-alias-apply",
          onclick: guarded(error, async () => {
            if (!aliasName.value.trim()) throw new Error("type the name first");
            await act({ kind: "alias", entity: e.id, name: aliasName.value.trim() }, `“${aliasName.value.trim()}” is an alias of ${e.name}`);
          }),
        },
        "is an alias",
      ),
      h(
        "button",
        {
          class: "small",
          id: "fix-not-alias",
          onclick: guarded(error, async () => {
            if (!aliasName.value.trim()) throw new Error("type the name first");
            await act({ kind: "not_alias", entity: e.id, name: aliasName.value.trim() }, `“${aliasName.value.trim()}” is not an alias of ${e.name}`);
          }),
        },
        "is not an alias",
      ),
    ),
    error,
  );
}

// The tie card's corrections: not this tie; this tie is of type T, reverse direction.
export function tieCorrections(t) {
  const error = errorLine();
  const types = (state.meta ? state.meta.tie_types : []).map((x) => h("option", { value: x.name, selected: x.name === t.type }, typeLabel(x.name)));
  const typeSelect = h("select", { id: "fix-tie-type", "aria-label": "Tie type" }, types);
  const reverse = h("input", { type: "checkbox", id: "fix-tie-reverse" });
  return h(
    "div",
    { class: "corrections" },
    h(
      "div",
      { class: "fix-row" },
      rejectButton("fix-reject-tie", "Not this tie", error, () =>
        act({ kind: "reject_tie", tie: t.id }, "Tie rejected", () => {
          window.history.back();
          changed();
        }),
      ),
    ),
    h(
      "div",
      { class: "fix-row" },
      h("label", {}, "This tie is ", typeSelect),
      h("label", { class: "check" }, reverse, " reverse direction"),
      h(
        "button",
        {
          class: "small",
          id: "fix-retype-tie",
          onclick: guarded(error, () =>
            act({ kind: "retype_tie", tie: t.id, type: typeSelect.value, reverse: reverse.checked }, `Tie is now ${typeLabel(typeSelect.value)}`, () => {
              window.location.hash = `#/entity/${encodeURIComponent(t.source.id)}`;
              changed();
            }),
          ),
        },
        "Retype",
      ),
    ),
    error,
  );
}

// The graph's context menu (right click on a node or a tie).
let menu = null;

export function closeMenu() {
  if (menu) menu.remove();
  menu = null;
}

export function contextMenu(x, y, target, onDone) {
  closeMenu();
  const items = [];
  const run = (body, message) => async () => {
    closeMenu();
    try {
      const result = await correct(body);
      toast(message, result, changed);
      onDone(body, result);
    } catch (error) {
      toast(String(error.message || error));
    }
  };
  if (target.kind === "node") {
    items.push(h("button", { role: "menuitem", class: "danger", dataset: { fix: "reject_entity" }, onclick: run({ kind: "reject_entity", entity: target.id }, `“${target.name}” is not an entity`) }, "Not an entity"));
    for (const [schema, label] of SCHEMA_NAMES) {
      if (schema === target.schema) continue;
      items.push(h("button", { role: "menuitem", dataset: { fix: `schema-${schema}` }, onclick: run({ kind: "set_schema", entity: target.id, schema }, `“${target.name}” is a ${label}`) }, `Is a ${label}`));
    }
  } else {
    items.push(h("button", { role: "menuitem", class: "danger", dataset: { fix: "reject_tie" }, onclick: run({ kind: "reject_tie", tie: target.id }, "Tie rejected") }, "Not this tie"));
    items.push(h("button", { role: "menuitem", dataset: { fix: "reverse" }, onclick: run({ kind: "retype_tie", tie: target.id, type: target.type, reverse: true }, "Tie reversed") }, "Reverse direction"));
    for (const t of state.meta ? state.meta.tie_types : []) {
      if (t.name === target.type) continue;
      items.push(h("button", { role: "menuitem", dataset: { fix: `type-${t.name}` }, onclick: run({ kind: "retype_tie", tie: target.id, type: t.name, reverse: false }, `Tie is now ${typeLabel(t.name)}`) }, `Type: ${typeLabel(t.name)}`));
    }
  }
  menu = h(
    "div",
    { class: "context-menu", role: "menu", "aria-label": target.kind === "node" ? `Correct ${target.name}` : "Correct this tie", style: { left: `${x}px`, top: `${y}px` } },
    h("div", { class: "menu-title" }, target.kind === "node" ? target.name : `${typeLabel(target.type)} tie`),
    items,
  );
  menu.addEventListener("keydown", (event) => {
    const buttons = [...menu.querySelectorAll("button")];
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "Escape") closeMenu();
    else if (event.key === "ArrowDown") buttons[(at + 1) % buttons.length].focus();
    else if (event.key === "ArrowUp") buttons[(at - 1 + buttons.length) % buttons.length].focus();
    else return;
    event.preventDefault();
  });
  document.body.append(menu);
  const box = menu.getBoundingClientRect();
  if (box.bottom > window.innerHeight) menu.style.top = `${Math.max(0, window.innerHeight - box.height - 4)}px`;
  if (box.right > window.innerWidth) menu.style.left = `${Math.max(0, window.innerWidth - box.width - 4)}px`;
  menu.querySelector("button").focus();
  setTimeout(() => document.addEventListener("click", closeMenu, { once: true }), 0);
}
