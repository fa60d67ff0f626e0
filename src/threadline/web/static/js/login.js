// The login form: a session cookie (HttpOnly) and a CSRF token cookie the page echoes.

const form = document.getElementById("login");
const error = document.getElementById("login-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const body = { user: form.user.value, password: form.password.value };
  const response = await fetch("/api/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (response.ok) {
    window.location.assign("/");
    return;
  }
  const data = await response.json().catch(() => ({}));
  error.textContent = data.detail || `HTTP ${response.status}`; // text, never HTML
});
