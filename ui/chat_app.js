// Citation chips: a click (or Enter/Space) on any [n] chip selects that source.
// The chip's turn and number go into a hidden textbox whose change event asks the
// server to re-render the sources panel and reader; a nonce makes repeats count.
(() => {
  if (window.__ragChipsInstalled) return;
  window.__ragChipsInstalled = true;

  function turnOf(chip) {
    if (chip.dataset.turn !== undefined) return chip.dataset.turn;
    // Fallback when a sanitizer dropped the attribute: count answer bubbles before it.
    const answers = Array.from(document.querySelectorAll("#rag-chatbot .rag-answer"));
    const own = chip.closest(".rag-answer");
    return String(Math.max(0, answers.indexOf(own)));
  }

  function select(chip) {
    const box = document.querySelector("#rag-cite-select textarea, #rag-cite-select input");
    if (!box) return;
    document.querySelectorAll(".rag-chip-active").forEach((c) => c.classList.remove("rag-chip-active"));
    chip.classList.add("rag-chip-active");
    box.value = `${turnOf(chip)}:${chip.dataset.cite}:${Date.now()}`;
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
