// Every page of the console. A fragment asked for after the session ended cannot follow the
// sign-in redirect (the console answers 499 to htmx instead): reload the page, which signs in again.
document.addEventListener("htmx:responseError", (event) => {
  if (event.detail.xhr.status === 499 || event.detail.xhr.status === 401) {
    window.location.reload();
  }
});
// Whatever a service refused arrives in the notice area; it stays until the next action.
document.addEventListener("htmx:beforeRequest", () => {
  const notice = document.getElementById("notice");
  if (notice) notice.replaceChildren();
});
