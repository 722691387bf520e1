// The live board: the feed's events make the page fetch its fragments again (see board.html);
// this script shows the connection's state, and flashes and sounds a new CRITICAL alert.
(() => {
  const board = document.querySelector("main.board");
  const live = document.getElementById("live");
  const banner = document.getElementById("reconnecting");
  const soundButton = document.getElementById("sound");
  // New critical alerts flash for 10 s, however often the list is fetched again meanwhile.
  const flashUntil = new Map();
  let sound = false;
  let audio = null;

  function connected(isConnected) {
    live.dataset.state = isConnected ? "open" : "reconnecting";
    live.textContent = isConnected ? live.dataset.open : live.dataset.reconnecting;
    banner.hidden = isConnected;
  }

  // Browsers play sound only after the person has touched the page: the button is that touch.
  soundButton.addEventListener("click", () => {
    sound = !sound;
    audio = audio || new AudioContext();
    soundButton.setAttribute("aria-pressed", String(sound));
    soundButton.textContent = sound ? soundButton.dataset.on : soundButton.dataset.off;
  });

  function beep() {
    if (!sound || !audio) return;
    for (const [start, frequency] of [[0, 880], [0.25, 660], [0.5, 880]]) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, audio.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.22);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.24);
    }
  }

  board.addEventListener("htmx:sseOpen", () => {
    connected(true);
    // Whatever happened while the page was not connected: fetch the board as it is now (the
    // list's answer carries the counters and the tree too).
    htmx.trigger("#alerts", "refresh");
  });
  board.addEventListener("htmx:sseError", () => connected(false));
  board.addEventListener("htmx:sseMessage", (event) => {
    if (event.detail.type === "signed-out") {
      window.location.reload();
      return;
    }
    if (event.detail.type !== "alert-event") return;
    let alertEvent;
    try {
      alertEvent = JSON.parse(event.detail.data);
    } catch (e) {
      return;
    }
    if (alertEvent.severity === "CRITICAL" && alertEvent.type === "OPENED") {
      flashUntil.set(alertEvent.alertId, Date.now() + 10000);
      beep();
    }
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id !== "alerts") return;
    const now = Date.now();
    for (const [id, until] of flashUntil) {
      const row = document.getElementById("alert-" + id);
      if (until < now) {
        flashUntil.delete(id);
        if (row) row.classList.remove("flash");
      } else if (row) {
        row.classList.add("flash");
      }
    }
  });
  setInterval(() => {
    const now = Date.now();
    for (const [id, until] of flashUntil) {
      if (until < now) {
        flashUntil.delete(id);
        const row = document.getElementById("alert-" + id);
        if (row) row.classList.remove("flash");
      }
    }
  }, 1000);
})();
