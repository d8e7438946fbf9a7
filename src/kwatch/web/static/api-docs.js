// /api/docs: the endpoint table is the page's own (offline). Swagger UI comes from its CDN
// (which the page's CSP allows) only when the reader asks: a machine offline loads nothing.
"use strict";

const CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/";

document.getElementById("load-swagger").addEventListener("click", event => {
  event.target.disabled = true;
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = CDN + "swagger-ui.css";
  document.head.appendChild(style);
  const script = document.createElement("script");
  script.src = CDN + "swagger-ui-bundle.js";
  script.onload = () => {
    window.ui = SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui", layout: "BaseLayout", deepLinking: true});
    document.getElementById("operations").hidden = true;
  };
  script.onerror = () => { event.target.insertAdjacentText("afterend", " Swagger UI could not be loaded (offline?); the table below lists the endpoints."); };
  document.body.appendChild(script);
});
