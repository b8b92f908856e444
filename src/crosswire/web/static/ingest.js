// Ingest with a progress display: the chosen files go to the JSON API one at a time,
// and each file's result becomes a row as soon as it is stored. Without this script
// the form posts all files at once and the page lists the results.
"use strict";

(function () {
  const form = document.getElementById("ingest");
  const input = document.getElementById("files");
  const bar = document.getElementById("ingest-progress");
  const status = document.getElementById("ingest-status");
  const rows = document.querySelector("#ingest-results tbody");
  if (!form || !input || !bar || !status || !rows) return;

  function cell(row, text) {
    const td = row.insertCell();
    td.textContent = text; // text only: file names and reasons are untrusted
    return td;
  }

  function addRow(result) {
    const row = rows.insertRow();
    cell(row, result.name);
    for (const key of ["ingested", "near_duplicates", "duplicates", "unchanged"]) cell(row, String(result[key]));
    const rejected = cell(row, String(result.rejected.length));
    if (result.rejected.length) {
      const list = document.createElement("ul");
      list.className = "rejected";
      for (const r of result.rejected) {
        const item = document.createElement("li");
        item.textContent = r.code + " " + r.source + ": " + r.detail;
        list.append(item);
      }
      rejected.append(list);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = Array.from(input.files);
    bar.hidden = false;
    bar.max = files.length;
    bar.value = 0;
    for (const [index, file] of files.entries()) {
      status.textContent = "ingesting " + (index + 1) + " of " + files.length + ": " + file.name;
      const body = new FormData();
      body.append("files", file);
      const response = await fetch(form.dataset.api, { method: "POST", body });
      if (response.ok) {
        for (const result of (await response.json()).files) addRow(result);
      } else {
        const row = rows.insertRow();
        cell(row, file.name);
        cell(row, "refused: HTTP " + response.status + " " + (await response.text())).colSpan = 5;
      }
      bar.value = index + 1;
    }
    status.textContent = "done: " + files.length + " file" + (files.length === 1 ? "" : "s");
  });
})();
