// The moderation desk's keyboard and in-place decisions. Without this file every button is an
// ordinary form post, and the desk still works, one page load per decision.
"use strict";

(function () {
  const desk = document.getElementById("desk");
  if (!desk) return;
  const status = desk.querySelector("[data-desk-status]");
  const help = desk.querySelector("[data-desk-help-dialog]");
  let current = 0;

  const cards = () => Array.from(desk.querySelectorAll(".desk-card"));

  function focusCard(index) {
    const all = cards();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((card, i) => card.classList.toggle("desk-card--current", i === current));
    all[current].focus({ preventScroll: false });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function say(message) {
    status.textContent = message;
  }

  function updateCount(queue, delta) {
    const badge = desk.querySelector(`.desk-count[data-queue="${queue}"]`);
    if (!badge || badge.textContent.endsWith("+")) return;
    badge.textContent = String(Math.max(0, Number(badge.textContent) + delta));
  }

  async function send(form, submitter) {
    const data = new FormData(form, submitter);
    // getAttribute: the decision buttons are named "action", which hides form.action.
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      headers: { "X-Desk": "1" },
      credentials: "same-origin",
    });
    let answer;
    try {
      answer = await response.json();
    } catch {
      answer = { ok: false, message: "The desk did not answer; reload the page." };
    }
    say(answer.message);
    return answer;
  }

  function removeCard(card) {
    const all = cards();
    const index = all.indexOf(card);
    card.remove();
    const queue = new URLSearchParams(location.search).get("queue") || "pending";
    if (["pending", "reported"].includes(queue)) updateCount(queue, -1);
    if (!cards().length) {
      desk.querySelector(".desk-cards")?.insertAdjacentHTML(
        "afterend", '<p class="desk-empty">Nothing left on this page. Well done.</p>');
    }
    focusCard(index);
  }

  function showUndo(url) {
    let form = desk.querySelector("[data-desk-undo]");
    if (!url) return;
    if (!form) {
      form = document.createElement("form");
      form.method = "post";
      form.className = "desk-undo";
      form.dataset.deskUndo = "";
      const token = desk.querySelector("input[name=csrfmiddlewaretoken]").cloneNode();
      const button = document.createElement("button");
      button.type = "submit";
      button.className = "button";
      button.textContent = "Undo (u)";
      form.append(token, "Last decision can be undone. ", button);
      status.after(form);
    }
    form.setAttribute("action", url);
  }

  desk.addEventListener("submit", async (event) => {
    const form = event.target;
    const card = form.closest(".desk-card");
    if (form.matches("[data-desk-decide]") && card) {
      event.preventDefault();
      const answer = await send(form, event.submitter);
      if (answer.ok) {
        showUndo(answer.undo);
        removeCard(card);
      } else {
        card.classList.add("desk-card--stale");
      }
    } else if (form.matches("[data-desk-undo]")) {
      event.preventDefault();
      const answer = await send(form);
      if (answer.ok) location.reload();
    }
  });

  function press(selector) {
    const card = cards()[current];
    const button = card && card.querySelector(selector);
    if (button) button.form.requestSubmit(button);
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (typing) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const card = cards()[current];
    switch (event.key) {
      case "j":
      case "ArrowDown":
        focusCard(current + 1);
        break;
      case "k":
      case "ArrowUp":
        focusCard(current - 1);
        break;
      case "a":
        press(".desk-approve");
        break;
      case "r":
        press(".desk-reject");
        break;
      case "s":
        press(".desk-spam");
        break;
      case "x":
        if (card) card.querySelector("input[type=checkbox]").click();
        break;
      case "o":
        if (card) window.open(card.dataset.articleUrl, "_blank", "noopener");
        break;
      case "u": {
        const undo = desk.querySelector("[data-desk-undo]");
        if (undo) undo.requestSubmit();
        break;
      }
      case "?":
        if (help.open) help.close(); else help.showModal();
        break;
      default:
        if (/^[1-9]$/.test(event.key) && card) {
          const select = card.querySelector("select[name=reason]");
          const option = select.options[Number(event.key) - 1];
          if (option) {
            select.value = option.value;
            say(`Reason: ${option.text}`);
          }
        } else {
          return;
        }
    }
    event.preventDefault();
  });

  desk.querySelector("[data-desk-help]").addEventListener("click", () => help.showModal());
  desk.addEventListener("focusin", (event) => {
    const card = event.target.closest(".desk-card");
    if (card) current = cards().indexOf(card);
  });
  const start = cards().findIndex((card) => `#${card.id}` === location.hash);
  focusCard(start >= 0 ? start : 0);
})();
