// Starts Swagger UI on /api/docs (a static file, so the page needs no inline script).
"use strict";

if (window.SwaggerUIBundle) {
  window.ui = SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui", layout: "BaseLayout", deepLinking: true});
}
