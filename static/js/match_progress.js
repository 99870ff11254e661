/* The runs page's live progress bar: while a matching run works, ask for its progress every 2 seconds and
   show it; once the run has finished (completed or failed), reload the page so its history shows the
   result. Without JavaScript the page shows the progress as it was when it loaded. */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var box = document.querySelector("[data-match-progress-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-match-progress-url");
  var bar = box.querySelector("progress");

  function show(name, value) {
    var element = box.querySelector("[data-" + name + "]");
    if (element) {
      element.textContent = String(value);
    }
  }

  function update(run) {
    if (run.status !== "running") {
      window.location.reload();
      return false;
    }
    bar.max = Math.max(run.chunks_total, 1);
    bar.value = run.chunks_done;
    bar.textContent = run.progress + "%";
    show("progress", run.progress);
    show("chunks-done", run.chunks_done);
    show("chunks-total", run.chunks_total);
    return true;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected || response.status === 403 || response.status === 404) {
          return null; // signed out (sent to sign in), or the run is gone: stop asking
        }
        if (!response.ok) {
          return true; // the server had a moment: ask again
        }
        return response.json().then(update);
      })
      .catch(function () {
        return true; // the network had a moment: ask again
      })
      .then(function (again) {
        if (again) {
          window.setTimeout(poll, INTERVAL_MS);
        }
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
