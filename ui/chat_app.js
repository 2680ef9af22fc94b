// Citation chips: a click (or Enter/Space) on any [n] chip selects that source.
// The chip's turn and number go into a hidden textbox whose change event asks the
// server to re-render the sources panel and reader; a nonce makes repeats count.
(() => {
  if (window.__ragChipsInstalled) return;
  window.__ragChipsInstalled = true;

  // The chat's HTML sanitizer drops data-* attributes, so chips carry their
  // number and turn as classes too: "rag-cite-2 rag-turn-0".
  function fromClass(chip, prefix) {
    const name = Array.from(chip.classList).find((c) => c.startsWith(prefix));
    return name ? name.slice(prefix.length) : undefined;
  }

  function turnOf(chip) {
    const turn = chip.dataset.turn ?? fromClass(chip, "rag-turn-");
    if (turn !== undefined) return turn;
    // Last resort: count the answer bubbles before this one.
    const answers = Array.from(document.querySelectorAll("#rag-chatbot .rag-answer"));
    return String(Math.max(0, answers.indexOf(chip.closest(".rag-answer"))));
  }

  function select(chip) {
    const box = document.querySelector("#rag-cite-select textarea, #rag-cite-select input");
    if (!box) return;
    document.querySelectorAll(".rag-chip-active").forEach((c) => c.classList.remove("rag-chip-active"));
    chip.classList.add("rag-chip-active");
    const cite = chip.dataset.cite ?? fromClass(chip, "rag-cite-");
    box.value = `${turnOf(chip)}:${cite}:${Date.now()}`;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener(
    "click",
    (event) => {
      const chip = event.target instanceof Element ? event.target.closest(".rag-chip") : null;
      if (!chip) return;
      event.preventDefault();
      event.stopPropagation();
      select(chip);
    },
    true,
  );
  document.addEventListener("keydown", (event) => {
    const chip = event.target instanceof Element ? event.target.closest(".rag-chip") : null;
    if (chip && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(chip);
    }
  });
})();
