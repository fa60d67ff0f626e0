// The REST API, from the page. Same origin only; errors carry the server's message.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function request(method, path, params, body) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
    else url.searchParams.set(key, value);
  }
  const init = { method, headers: { Accept: "application/json" } };
  // access control: state-changing requests echo the session's CSRF token (cookie)
  const csrf = document.cookie.split("; ").find((c) => c.startsWith("threadline_csrf="));
  if (csrf && method !== "GET") init.headers["X-CSRF-Token"] = decodeURIComponent(csrf.slice(16));
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 && window.location.pathname !== "/login") {
    window.location.assign("/login");
  }
  if (!response.ok) {
    let detail = data.detail;
    if (Array.isArray(detail)) detail = detail.map((d) => `${d.loc.join(".")}: ${d.msg}`).join("; ");
    throw new ApiError(response.status, detail || `HTTP ${response.status}`);
  }
  return data;
}

export const api = {
  get: (path, params) => request("GET", `/api${path}`, params),
  post: (path, body) => request("POST", `/api${path}`, undefined, body),
};

const tieCache = new Map();

export async function tieDetail(id) {
  if (!tieCache.has(id)) tieCache.set(id, api.get(`/ties/${encodeURIComponent(id)}`));
  try {
    return await tieCache.get(id);
  } catch (error) {
    tieCache.delete(id);
    throw error;
  }
}

export function forgetTies() {
  tieCache.clear();
}
