// Review actions on the event page: confirm, reject, edit a field, with a bearer token.
"use strict";

const eventId = document.getElementById("event").dataset.eventId;
const form = document.getElementById("review-form");
const message = document.getElementById("review-message");
form.elements.token.value = sessionStorage.getItem("kwatch-token") || "";

async function act(action) {
  const token = form.elements.token.value.trim();
  sessionStorage.setItem("kwatch-token", token);
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
      headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token},
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
