// Review actions on the event page: confirm, reject, edit a field, with a bearer token.
"use strict";

const eventId = document.getElementById("event").dataset.eventId;
const form = document.getElementById("review-form");
const message = document.getElementById("review-message");
// Logged in (a session cookie), the form has no token field and the cookie does the work.
const tokenField = form.elements.token;
if (tokenField) tokenField.value = sessionStorage.getItem("kwatch-token") || "";

async function act(action) {
  const token = tokenField ? tokenField.value.trim() : "";
  if (tokenField) sessionStorage.setItem("kwatch-token", token);
  const payload = {why: form.elements.why.value || null};
  if (action === "edit") {
    payload.field = form.elements.field.value;
    try {
      payload.value = JSON.parse(form.elements.value.value);
    } catch (error) {
      message.textContent = "The new value is not JSON (text needs quotes).";
      return;
    }
  }
  try {
    await getJSON(`/api/events/${encodeURIComponent(eventId)}/${action}`, {
      method: "POST",
      headers: Object.assign({"Content-Type": "application/json"}, token ? {"Authorization": "Bearer " + token} : {}),
      body: JSON.stringify(payload),
    });
    window.location.reload();
  } catch (error) {
    message.textContent = error.message;
  }
}

for (const button of form.querySelectorAll("button[data-action]")) {
  button.addEventListener("click", () => act(button.dataset.action));
}

// Merge and split (analysts only): shown to an analyst's session, or once a pasted token is
// known to be an analyst's (GET /api/whoami with it).
const structure = document.getElementById("structure");

function headers() {
  const token = tokenField ? tokenField.value.trim() : "";
  return Object.assign({"Content-Type": "application/json"}, token ? {"Authorization": "Bearer " + token} : {});
}

async function revealForAnalyst() {
  const token = tokenField.value.trim();
  if (!token) { structure.hidden = true; return; }
  try {
    const who = await getJSON("/api/whoami", {headers: {"Authorization": "Bearer " + token}});
    structure.hidden = !["analyst", "admin"].includes(who.role);
    sessionStorage.setItem("kwatch-token", token);
  } catch (error) {
    structure.hidden = true;
  }
}

function links(events) {
  const span = el("span", "Done: ");
  events.forEach((e, i) => {
    if (i) span.appendChild(document.createTextNode(" and "));
    span.appendChild(el("a", e.id, {href: "/events/" + encodeURIComponent(e.id)}));
  });
  return span;
}

async function structural(url, payload, done) {
  try {
    const body = await getJSON(url, {method: "POST", headers: headers(), body: JSON.stringify(payload)});
    done(body);
  } catch (error) {
    message.textContent = error.message;
  }
}

document.getElementById("merge-form").addEventListener("submit", event => {
  event.preventDefault();
  const data = new FormData(event.target);
  structural("/api/events/merge", {ids: [eventId, String(data.get("other")).trim()], why: String(data.get("why")).trim()},
    body => { window.location = "/events/" + encodeURIComponent(body.event.id); });
});

document.getElementById("split-form").addEventListener("submit", event => {
  event.preventDefault();
  const data = new FormData(event.target);
  structural(`/api/events/${encodeURIComponent(eventId)}/split`, {document_id: data.get("document_id"), why: String(data.get("why")).trim()},
    body => { message.replaceChildren(links(body.events)); });
});

if (tokenField) {
  tokenField.addEventListener("change", revealForAnalyst);
  if (tokenField.value) revealForAnalyst();
}

// Audit times: the server writes UTC; show them in the reader's own time zone.
for (const node of document.querySelectorAll("time.local-time")) {
  const at = new Date(node.getAttribute("datetime"));
  if (!isNaN(at)) {
    node.title = node.textContent;
    node.textContent = at.toLocaleString(undefined, {year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"});
  }
}
