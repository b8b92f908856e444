// Follows an ingest job on its page: asks the JSON API for the job's state every second
// and shows it (status line, progress bar, one row per file) until the job is done,
// failed or cancelled. Without this script the page reloads itself (a <noscript> refresh).
"use strict";

(function () {
  const job = document.getElementById("ingest-job");
  const bar = document.getElementById("ingest-progress");
  const status = document.getElementById("ingest-status");
  const rows = document.querySelector("#ingest-results tbody");
  if (!job || !bar || !status || !rows) return;

  function cell(row, text) {
    const td = row.insertCell();
    td.textContent = text; // text only: file names and reasons are untrusted
    return td;
  }

  function showFile(result) {
    const row = rows.insertRow();
    cell(row, result.name);
    for (const key of ["ingested", "near_duplicates", "duplicates", "unchanged"]) cell(row, String(result[key]));
    const rejected = cell(row, String(result.rejected.length));
    if (result.rejected.length) {
      const list = document.createElement("ul");
      list.className = "rejected";
      for (const r of result.rejected) {
        const item = document.createElement("li");
        const code = document.createElement("b");
        code.textContent = r.code;
        item.append(code, " " + r.source + ": " + r.detail);
        list.append(item);
      }
      rejected.append(list);
    }
  }

  function show(state) {
    bar.max = state.files_total;
    bar.value = state.files_done;
    status.textContent = state.status + ": " + state.files_done + " of " + state.files_total + " files · " +
      state.stored + " stored · " + state.rejected + " rejected";
    rows.replaceChildren();
    for (const result of state.files) showFile(result);
    if (state.error) {
      const error = document.createElement("p");
      error.className = "error";
      error.id = "ingest-error";
      error.textContent = state.error.code + " " + state.error.source + ": " + state.error.detail;
      job.querySelector("#ingest-error")?.remove();
      bar.parentElement.after(error);
    }
  }

  async function poll() {
    const response = await fetch(job.dataset.api, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      status.textContent = "could not read the job's state: HTTP " + response.status;
      return;
    }
    const state = await response.json();
    show(state);
    if (["done", "failed", "cancelled"].includes(state.status)) document.getElementById("ingest-cancel")?.remove();
    else setTimeout(poll, 1000);
  }

  setTimeout(poll, 1000);
})();
