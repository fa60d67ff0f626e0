// Instant search: results as you type (names and aliases, fuzzy), keyboard friendly.

import { api } from "./api.js";
import { clear, debounce, entityHref, h, schemaBadge } from "./dom.js";

function resultRow(hit, onChoose) {
  const e = hit.entity;
  return h(
    "li",
    { class: "hit", role: "option", dataset: { id: e.id } },
    h(
      "a",
      {
        href: entityHref(e.id),
        onclick: (event) => {
          if (onChoose) {
            event.preventDefault();
            onChoose(e);
          }
        },
      },
      h("span", { class: "hit-name" }, e.name),
      schemaBadge(e.schema),
      hit.alias ? h("span", { class: "hit-alias" }, `alias: ${hit.matched}`) : null,
      !hit.alias && hit.matched !== e.name ? h("span", { class: "hit-alias" }, `as ${hit.matched}`) : null,
      hit.match === "fuzzy" ? h("span", { class: "badge fuzzy" }, "similar") : null,
      h("span", { class: "hit-links" }, `${e.links} links`),
    ),
  );
}

// A text box with a results list below it. ``onChoose(entity)``: what a pick does
// (default: follow the link to the entity page).
function searchBox({ input, list, onChoose, schema, limit = 12 }) {
  let active = -1;
  let seq = 0;
  const run = debounce(async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      clear(list);
      list.hidden = true;
      return;
    }
    try {
      const page = await api.get("/search", { q, limit, schema });
      if (mine !== seq) return;
      clear(list);
      active = -1;
      if (!page.items.length) {
        list.append(h("li", { class: "hit none" }, "No entity has this name or alias."));
      } else {
        list.append(...page.items.map((hit) => resultRow(hit, onChoose)));
        if (page.total > page.items.length) {
          list.append(h("li", { class: "hit more" }, `${page.total - page.items.length} more — type more letters`));
        }
      }
      list.hidden = false;
    } catch (error) {
      clear(list).append(h("li", { class: "hit none" }, String(error.message || error)));
      list.hidden = false;
    }
  }, 120);
  input.addEventListener("input", run);
  input.addEventListener("focus", () => {
    if (list.childElementCount) list.hidden = false;
  });
  input.addEventListener("keydown", (event) => {
    const rows = [...list.querySelectorAll("li.hit[data-id]")];
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!rows.length) return;
      active = (active + (event.key === "ArrowDown" ? 1 : -1) + rows.length) % rows.length;
      rows.forEach((r, k) => r.classList.toggle("active", k === active));
    } else if (event.key === "Enter") {
      const row = rows[Math.max(active, 0)];
      if (row) row.querySelector("a").click();
      list.hidden = true;
    } else if (event.key === "Escape") {
      list.hidden = true;
    }
  });
  document.addEventListener("click", (event) => {
    if (!list.contains(event.target) && event.target !== input) list.hidden = true;
  });
  list.addEventListener("click", () => {
    list.hidden = true;
  });
}

export function initSearch(input, list) {
  searchBox({ input, list });
}

// A small picker for dialogs and the path box: returns its element.
export function entityPicker({ placeholder, onPick, schema }) {
  const input = h("input", { type: "search", placeholder, class: "picker-input", autocomplete: "off" });
  const list = h("ul", { class: "results picker-results", hidden: true, role: "listbox" });
  searchBox({
    input,
    list,
    schema,
    limit: 8,
    onChoose: (entity) => {
      input.value = entity.name;
      input.dataset.id = entity.id;
      onPick(entity);
    },
  });
  return h("div", { class: "picker" }, input, list);
}
