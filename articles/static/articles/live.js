// A live coverage page asks its updates address for newer entries every few seconds and says
// how many there are, above the list; the reader chooses when to show them, so nothing moves
// under what they are reading. Everything comes from the section's data- attributes.
(function () {
  "use strict";

  var section = document.querySelector("[data-live-updates]");
  if (!section || !window.fetch) {
    return;
  }
  var list = section.querySelector("[data-live-list]");
  var notice = section.querySelector("[data-live-notice]");
  var address = section.getAttribute("data-live-updates");
  var after = section.getAttribute("data-live-after") || "0";
  var seconds = Math.max(1, parseInt(section.getAttribute("data-poll-seconds"), 10) || 20);
  var etag = null;
  var waiting = null; // The last answer with new entries, until the reader shows them.
  var timer = null;

  function say(text, withButton) {
    notice.textContent = "";
    if (!text) {
      return;
    }
    if (withButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "live__show";
      button.textContent = text;
      button.addEventListener("click", show);
      notice.appendChild(button);
    } else {
      var line = document.createElement("p");
      line.textContent = text;
      notice.appendChild(line);
    }
  }

  function show() {
    if (!waiting) {
      return;
    }
    if (waiting.count > waiting.shown) {
      // More than one answer brings: the page itself has them all.
      window.location.reload();
      return;
    }
    var template = document.createElement("template");
    template.innerHTML = waiting.html;
    var first = template.content.querySelector("article");
    list.insertBefore(template.content, list.firstChild);
    var empty = section.querySelector("[data-live-empty]");
    if (empty) {
      empty.remove();
    }
    after = String(waiting.newest);
    etag = null;
    waiting = null;
    say("");
    if (first) {
      // The newest entry takes the focus, so keyboard and screen reader users land on it.
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }

  function stop(answer) {
    window.clearInterval(timer);
    var label = document.querySelector(".live-label");
    if (label) {
      label.remove();
    }
    say(answer.count ? "" : "This live coverage has ended.", false);
    if (answer.count) {
      waiting = answer;
      say(answer.count === 1 ? "1 new update" : answer.count + " new updates", true);
    }
  }

  function poll() {
    var headers = {Accept: "application/json"};
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    // no-store: the script keeps the ETag itself, so a 304 reaches it as a 304.
    fetch(address + "?after=" + encodeURIComponent(after), {
      headers: headers,
      cache: "no-store",
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 404) {
          // No longer a live coverage (or no longer published): nothing more will come.
          window.clearInterval(timer);
          return null;
        }
        if (response.status === 304 || !response.ok) {
          return null;
        }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (answer) {
        if (!answer) {
          return;
        }
        if (answer.ended) {
          stop(answer);
          return;
        }
        if (answer.count > 0) {
          waiting = answer;
          say(answer.count === 1 ? "1 new update" : answer.count + " new updates", true);
        }
      })
      .catch(function () {
        // Offline for a moment: the next round tries again.
      });
  }

  timer = window.setInterval(poll, seconds * 1000);
})();
