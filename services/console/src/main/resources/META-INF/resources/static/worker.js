// The worker's phone: steps are sent as JSON with a request id made on the phone, and kept in a
// queue (in the phone's storage, so a reload keeps it) until the service has them. A step that
// cannot be sent now (no signal, the console restarting) stays queued and the page says so; one
// the service refuses is taken off the queue and its reason shown. A retry sends the same
// request id, which grid-dispatch takes as the same step, so nothing is done twice.
(() => {
  const QUEUE = "gridwatch-worker-queue";
  const main = document.querySelector("main.worker");
  const live = document.getElementById("live");
  const banner = document.getElementById("reconnecting");
  const queueNote = document.getElementById("queue");
  const notice = document.getElementById("notice");

  const load = () => JSON.parse(localStorage.getItem(QUEUE) || "[]");
  const save = (queue) => {
    localStorage.setItem(QUEUE, JSON.stringify(queue));
    showQueue(queue);
  };
  function showQueue(queue) {
    queueNote.hidden = queue.length === 0;
    queueNote.textContent = queue.length === 1 ? queueNote.dataset.one
      : queue.length + " " + queueNote.dataset.many;
  }
  function tell(text) {
    const div = document.createElement("div");
    div.className = "notice";
    div.setAttribute("role", "alert");
    div.textContent = text;
    notice.replaceChildren(div);
  }

  let sending = false;
  async function flush() {
    if (sending) return;
    sending = true;
    try {
      let queue = load();
      while (queue.length > 0) {
        const step = queue[0];
        let answer;
        try {
          answer = await fetch(step.url, { method: "POST", headers: { "Content-Type": "application/json",
            "X-Requested-With": "XMLHttpRequest" }, body: JSON.stringify(step.body), credentials: "same-origin" });
        } catch (offline) {
          break; // no network: stays queued, tried again when the phone is back online
        }
        if (answer.status === 499 || answer.status === 401) {
          window.location.reload(); // signed out: sign in again; the queue is kept
          return;
        }
        if (answer.status >= 500) break; // the service is not there now: try again shortly
        queue = load().filter((s) => s.body.requestId !== step.body.requestId);
        save(queue);
        if (!answer.ok) {
          const refusal = await answer.json().catch(() => ({ detail: "HTTP " + answer.status }));
          tell(refusal.detail);
        }
        htmx.trigger("#tasks", "refresh");
      }
    } finally {
      sending = false;
    }
  }

  function enqueue(taskId, action, body) {
    body.requestId = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
    const queue = load();
    queue.push({ url: "/worker/tasks/" + taskId + "/" + action, body });
    try {
      save(queue);
    } catch (full) {
      tell(queueNote.dataset.notSaved || "Not sent: the phone has no room to keep it. Try again with a smaller photo.");
      return;
    }
    flush();
  }

  function readPhoto(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1]);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.step[data-action]");
    if (!button) return;
    const card = button.closest("[data-task-id]");
    button.disabled = true;
    enqueue(card.dataset.taskId, button.dataset.action, {});
  });
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.step-form");
    if (!form) return;
    event.preventDefault();
    const card = form.closest("[data-task-id]");
    const body = { note: form.elements.note.value };
    const photo = form.elements.photo && form.elements.photo.files[0];
    if (photo) {
      body.photo = await readPhoto(photo);
      body.photoType = photo.type;
    }
    form.querySelectorAll("button").forEach((b) => (b.disabled = true));
    enqueue(card.dataset.taskId, form.dataset.action, body);
  });

  document.querySelectorAll("[data-duty]").forEach((button) => button.addEventListener("click", async () => {
    const answer = await fetch("/worker/status", { method: "PUT", headers: { "Content-Type": "application/json",
      "X-Requested-With": "XMLHttpRequest" }, body: JSON.stringify({ onDuty: button.dataset.duty === "true" }) })
      .catch(() => null);
    const state = document.getElementById("duty-state");
    if (answer && answer.ok) {
      state.textContent = button.textContent;
    } else {
      tell(answer ? (await answer.json()).detail : queueNote.dataset.offline || "No connection");
    }
  }));

  // Countdowns to each stage's deadline, every second.
  function tick() {
    document.querySelectorAll(".countdown[data-due]").forEach((el) => {
      const left = Math.round((Date.parse(el.dataset.due) - Date.now()) / 1000);
      if (left <= 0) {
        el.textContent = el.dataset.overdueText;
        el.classList.add("overdue");
      } else {
        const m = Math.floor(left / 60), s = left % 60;
        el.textContent = m + ":" + String(s).padStart(2, "0");
      }
    });
  }
  setInterval(tick, 1000);
  document.body.addEventListener("htmx:afterSwap", tick);
  tick();

  main.addEventListener("htmx:sseOpen", () => {
    live.dataset.state = "open";
    live.textContent = live.dataset.open;
    banner.hidden = true;
    htmx.trigger("#tasks", "refresh");
    flush();
  });
  main.addEventListener("htmx:sseError", () => {
    live.dataset.state = "reconnecting";
    live.textContent = live.dataset.reconnecting;
    banner.hidden = false;
  });
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  showQueue(load());
  flush();
})();
