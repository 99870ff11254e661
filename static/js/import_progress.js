/* An import batch's live progress bar: while its task checks, writes or undoes the rows, ask for the batch's
   status every 2 seconds and show the rows done; once the task is done, reload the page to show the result.
   Without JavaScript the page's "Refresh" link does the same by hand. */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var box = document.querySelector("[data-import-status-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-import-status-url");
  var bar = box.querySelector("progress");

  function show(name, value) {
    var element = box.querySelector("[data-" + name + "]");
    if (element) {
      element.textContent = Number(value).toLocaleString();
    }
  }

  function update(batch) {
    if (!batch.working) {
      window.location.reload();
      return false;
    }
    if (batch.rows_total) {
      bar.max = batch.rows_total;
      bar.value = batch.rows_done;
      show("rows-total", batch.rows_total);
    }
    show("rows-done", batch.rows_done);
    return true;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected || response.status === 403 || response.status === 404) {
          return null; // signed out (sent to sign in), or the batch is gone: stop asking
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
