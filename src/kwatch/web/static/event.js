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
