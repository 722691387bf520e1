// Every page of the console. A fragment asked for after the session ended cannot follow the
// sign-in redirect (the console answers 499 to htmx instead): reload the page, which signs in again.
document.addEventListener("htmx:responseError", (event) => {
  if (event.detail.xhr.status === 499 || event.detail.xhr.status === 401) {
    window.location.reload();
    return;
  }
  // Anything else that went wrong is said, never swallowed.
  notify("HTTP " + event.detail.xhr.status + ": " + (event.detail.xhr.responseText || "").slice(0, 300));
});
document.addEventListener("htmx:sendError", () => notify(navigator.onLine === false
  ? "No connection: not sent. Try again when the phone or computer is back online."
  : "The console did not answer: not sent. Try again in a moment."));
function notify(text) {
  const notice = document.getElementById("notice");
  if (!notice) return;
  const div = document.createElement("div");
  div.className = "notice";
  div.setAttribute("role", "alert");
  div.textContent = text;
  notice.replaceChildren(div);
}
// Whatever a service refused arrives in the notice area; it stays until the next action.
document.addEventListener("htmx:beforeRequest", () => {
  const notice = document.getElementById("notice");
  if (notice) notice.replaceChildren();
});
// Marks htmx's requests as a script's, so that after the session ended the console answers 499
// (above) instead of a sign-in redirect the request cannot follow.
document.addEventListener("htmx:configRequest", (event) => {
  event.detail.headers["X-Requested-With"] = "XMLHttpRequest";
});
