/*
 * Walkaway website widget.
 * Talks Rasa's socket.io protocol to bot.channels.webchat.WebchatInput:
 *   -> session_request {session_id}      <- session_confirm "<id>"
 *   -> user_uttered {message, session_id} <- bot_uttered {text, quick_replies?, attachment?}
 * The session id and the messages shown are kept in localStorage, so a reload continues the
 * same conversation (the server keeps the tracker under the same session id).
 * Markdown is rendered with marked (GFM tables) and sanitised with DOMPurify.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "walkaway.chat.v1";
  var MAX_STORED = 200;
  var config = JSON.parse(document.getElementById("walkaway-config").textContent);

  var log = document.getElementById("wa-log");
  var list = document.getElementById("wa-messages");
  var typing = document.getElementById("wa-typing");
  var suggestions = document.getElementById("wa-suggestions");
  var suggestIntro = document.getElementById("wa-suggest-intro");
  var statusEl = document.getElementById("wa-status");
  var form = document.getElementById("wa-form");
  var input = document.getElementById("wa-input");

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (stored && Array.isArray(stored.messages)) return stored;
    } catch (e) { /* corrupted or blocked storage: start fresh */ }
    return { sessionId: null, messages: [] };
  }
  function save() {
    state.messages = state.messages.slice(-MAX_STORED);
    try { window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  var state = load();
  var confirmed = false;
  var pending = [];
  var typingTimer = null;

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  // raw HTML in a reply is shown as text, not interpreted ("<side by side>" stays visible)
  window.marked.use({
    gfm: true,
    breaks: true,
    renderer: {
      html: function (token) { return escapeHtml(typeof token === "string" ? token : token.text); }
    }
  });

  function renderMarkdown(text) {
    var html = window.marked.parse(text || "");
    var clean = window.DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
    var box = document.createElement("div");
    box.innerHTML = clean;
    box.querySelectorAll("table").forEach(function (table) {
      var wrap = document.createElement("div");
      wrap.className = "wa-table-wrap";
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
    box.querySelectorAll("a[href]").forEach(function (a) {
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener noreferrer");
    });
    return box;
  }

  function messageElement(msg, index) {
    var row = document.createElement("div");
    row.className = "wa-msg " + (msg.from === "user" ? "wa-user" : "wa-bot");
    row.dataset.index = String(index);
    if (msg.text) {
      var bubble = document.createElement("div");
      bubble.className = "wa-bubble";
      if (msg.from === "user") {
        bubble.textContent = msg.text;
      } else {
        bubble.appendChild(renderMarkdown(msg.text));
      }
      row.appendChild(bubble);
    }
    if (msg.image) {
      var img = document.createElement("img");
      img.src = msg.image;
      img.alt = "";
      img.style.maxWidth = "100%";
      row.appendChild(img);
    }
    if (msg.buttons && msg.buttons.length) {
      var group = document.createElement("div");
      group.className = "wa-buttons";
      msg.buttons.forEach(function (button, i) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "wa-button" + (msg.chosen === i ? " wa-chosen" : "");
        b.textContent = button.title;
        b.disabled = msg.chosen !== undefined && msg.chosen !== null;
        b.addEventListener("click", function () {
          if (msg.chosen !== undefined && msg.chosen !== null) return;
          msg.chosen = i;
          save();
          group.querySelectorAll("button").forEach(function (other, j) {
            other.disabled = true;
            if (j === i) other.classList.add("wa-chosen");
          });
          send(button.payload, button.title);
        });
        group.appendChild(b);
      });
      row.appendChild(group);
    }
    return row;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function renderAll() {
    list.innerHTML = "";
    state.messages.forEach(function (msg, i) { list.appendChild(messageElement(msg, i)); });
    suggestions.hidden = suggestIntro.hidden = state.messages.length > 0;
    scrollDown();
  }

  function append(msg) {
    state.messages.push(msg);
    save();
    list.appendChild(messageElement(msg, state.messages.length - 1));
    suggestions.hidden = suggestIntro.hidden = true;
    scrollDown();
  }

  function setTyping(on) {
    typing.hidden = !on;
    if (typingTimer) { clearTimeout(typingTimer); typingTimer = null; }
    if (on) {
      typingTimer = setTimeout(function () { typing.hidden = true; }, 30000);
      scrollDown();
    }
  }

  function setStatus(stateName, text) {
    statusEl.dataset.state = stateName;
    statusEl.textContent = text;
  }

  var socket = window.io({ path: config.socketPath, transports: ["websocket", "polling"] });

  function emitMessage(text) {
    socket.emit("user_uttered", { message: text, session_id: state.sessionId });
  }

  function send(text, shown) {
    text = (text || "").trim();
    if (!text) return;
    append({ from: "user", text: shown || text });
    setTyping(true);
    if (confirmed && socket.connected) emitMessage(text);
    else pending.push(text);
  }

  socket.on("connect", function () {
    setStatus("connecting", "Connecting…");
    socket.emit("session_request", { session_id: state.sessionId });
  });
  socket.on("session_confirm", function (sessionId) {
    if (typeof sessionId === "object" && sessionId) sessionId = sessionId.session_id;
    if (sessionId !== state.sessionId) {
      // a new conversation on the server: what we showed before belongs to another one
      state = { sessionId: sessionId, messages: [] };
      save();
      renderAll();
    }
    confirmed = true;
    setStatus("online", "Online");
    while (pending.length) emitMessage(pending.shift());
  });
  socket.on("bot_uttered", function (data) {
    setTyping(false);
    if (!data) return;
    var buttons = data.quick_replies || data.buttons || [];
    var image = data.attachment && data.attachment.payload && data.attachment.payload.src;
    append({
      from: "bot",
      text: data.text || "",
      buttons: buttons.map(function (b) { return { title: b.title, payload: b.payload }; }),
      image: image || null
    });
  });
  socket.on("disconnect", function () {
    confirmed = false;
    setStatus("offline", "Reconnecting…");
  });
  socket.on("connect_error", function () { setStatus("offline", "Offline — retrying"); });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    input.style.height = "";
    send(text);
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });
  input.addEventListener("input", function () {
    input.style.height = "";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
  });
  suggestions.querySelectorAll("button[data-message]").forEach(function (b) {
    b.addEventListener("click", function () { send(b.dataset.message); });
  });
  document.getElementById("wa-reset").addEventListener("click", function () {
    try { window.localStorage.removeItem(STORAGE_KEY); } catch (e) { /* ignore */ }
    state = { sessionId: null, messages: [] };
    renderAll();
    if (socket.connected) socket.emit("session_request", { session_id: null });
  });

  renderAll();
})();
