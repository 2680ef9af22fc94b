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
  // The chat's copy button copies a message's raw HTML; once it has, replace the
  // clipboard with readable text: the answer with [n] markers, then its sources.
  function plainText(content) {
    const copy = content.cloneNode(true);
    const sources = new Map();
    copy.querySelectorAll(".rag-chip").forEach((chip) => {
      const n = chip.dataset.cite ?? fromClass(chip, "rag-cite-");
      sources.set(n, chip.getAttribute("title") || "");
      chip.replaceWith(` [${n}]`);
    });
    copy.querySelectorAll("br").forEach((br) => br.replaceWith("\n"));
    copy.querySelectorAll(".rag-notice, .rag-refusal, .rag-answer-text").forEach((el) => el.append("\n"));
    let text = copy.textContent.replace(/\n{3,}/g, "\n\n").trim();
    if (sources.size) {
      text += "\n\nSources:\n" + Array.from(sources, ([n, title]) => `[${n}] ${title}`).join("\n");
    }
    return text;
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element
      ? event.target.closest("#rag-chatbot button[aria-label='Copy message']") : null;
    const bar = button?.closest(".message-buttons");
    if (!bar || !navigator.clipboard) return;
    let message = bar.previousElementSibling;
    while (message && !message.querySelector(".message-content")) message = message.previousElementSibling;
    if (!message) return;
    const text = Array.from(message.querySelectorAll(".message-content"), plainText).join("\n\n");
    setTimeout(() => navigator.clipboard.writeText(text).catch(() => {}), 150);
  });

  // Bring the selected citation into view: its card in the sources panel, its
  // mark inside the reader's own scroll box (without moving the page for that).
  function revealReader() {
    const box = document.querySelector("#rag-reader .rag-reader-text");
    const mark = box?.querySelector(".rag-mark-selected");
    if (box && mark && box.clientHeight > 0) box.scrollTop = Math.max(0, mark.offsetTop - 60);
  }
  window.ragRevealReader = () => setTimeout(revealReader, 30);
  window.ragRevealSource = () => {
    // After the panels have re-rendered (gr.HTML updates on a microtask).
    setTimeout(() => {
      document.querySelector("#rag-sources .rag-source-selected")?.scrollIntoView({ block: "nearest" });
      revealReader();
    }, 30);
  };
  document.addEventListener("click", (event) => {
    const header = event.target instanceof Element ? event.target.closest("#rag-reader-box") : null;
    if (header && !event.target.closest("#rag-reader")) setTimeout(revealReader, 200);
  });

  // The conversation sidebar would cover the chat on a phone: keep it closed there
  // (at load, and when the window narrows); the toggle button still opens it.
  const narrow = window.matchMedia("(max-width: 767px)");
  function fitSidebar() {
    const sidebar = document.querySelector("#rag-sidebar");
    if (narrow.matches && sidebar?.classList.contains("open")) {
      sidebar.querySelector(".toggle-button")?.click();
    }
  }
  narrow.addEventListener("change", fitSidebar);
  const waitForSidebar = setInterval(() => {
    if (!document.querySelector("#rag-sidebar")) return;
    clearInterval(waitForSidebar);
    fitSidebar();
  }, 200);

  document.addEventListener("keydown", (event) => {
    const chip = event.target instanceof Element ? event.target.closest(".rag-chip") : null;
    if (chip && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(chip);
    }
  });
})();
