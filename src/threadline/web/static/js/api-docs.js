// Swagger UI for /api/docs, from the package's vendor copy (no CDN, no validator calls).
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  validatorUrl: null,
  deepLinking: true,
});
