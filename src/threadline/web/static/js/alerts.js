// Hit/no-hit alerts: hits on the agency's watches, requests to the agency; request,
// grant, deny. Every text is set with textContent (names and reasons stay text).

import { api } from "./api.js";

const list = document.getElementById("alerts");

function button(label, action) {
  const b = document.createElement("button");
  b.textContent = label;
  b.addEventListener("click", async () => {
    try {
      await action();
      await show();
    } catch (error) {
      b.textContent = String(error.message || error);
    }
  });
  return b;
}

async function show() {
  const data = await api.get("/alerts", { limit: 500 });
  list.replaceChildren();
  if (!data.items.length) {
    const li = document.createElement("li");
    li.textContent = "No alerts.";
    list.append(li);
  }
  for (const alert of data.items) {
    const li = document.createElement("li");
    const text = document.createElement("p");
    text.textContent = alert.text;
    li.append(text);
    for (const doc of alert.documents) {
      const a = document.createElement("a");
      a.href = `/#/document/${encodeURIComponent(doc.id)}`;
      a.textContent = doc.title || doc.id;
      li.append(a, " ");
    }
    if (alert.kind === "hit" && alert.status === "open" && alert.documents.length === 0) {
      li.append(button("Request access", () => api.post(`/alerts/${alert.id}/request`, { reason: "" })));
    }
    if (alert.kind === "request" && alert.status === "requested") {
      li.append(button("Grant", () => api.post(`/alerts/${alert.id}/grant`)));
      li.append(button("Deny", () => api.post(`/alerts/${alert.id}/deny`)));
    }
    list.append(li);
  }
}

show();
