// Keyboard navigation through the differences of a comparison: j or n for the next,
// k or p for the previous. Both sides' marks of one difference, and its line in the
// list below the pair, share a data-diff id set by the server; all of them light up.
"use strict";

(function () {
  const ids = [];
  for (const element of document.querySelectorAll("[data-diff]")) {
    const id = element.dataset.diff;
    if (id && !ids.includes(id)) ids.push(id);
  }
  const next = document.getElementById("next-diff");
  const previous = document.getElementById("prev-diff");
  const position = document.getElementById("diff-position");
  if (!next || !previous || !position) return;
  if (ids.length === 0) {
    next.disabled = previous.disabled = true;
    position.textContent = "no differences";
    return;
  }
  let current = -1;

  function show(index) {
    current = (index + ids.length) % ids.length;
    for (const element of document.querySelectorAll(".current")) element.classList.remove("current");
    const parts = document.querySelectorAll('[data-diff="' + CSS.escape(ids[current]) + '"]');
    for (const element of parts) element.classList.add("current");
    parts[0].scrollIntoView({ block: "center" });
    position.textContent = "difference " + (current + 1) + " of " + ids.length;
  }

  next.addEventListener("click", () => show(current + 1));
  previous.addEventListener("click", () => show(current - 1));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Typing in the form must not jump around the page.
    if (event.target instanceof Element && event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "j" || event.key === "n") show(current + 1);
    else if (event.key === "k" || event.key === "p") show(current - 1);
    else return;
    event.preventDefault();
  });
})();
