// The emulator's inbox page: no framework, no build step. Everything it shows comes
// from GET /_emulator/state, read again whenever /_emulator/events says it changed.
// Every text from the emulator goes in with textContent, never as HTML.
"use strict";

// The ciphertexts opened stay open when the page redraws (by message id).
const view = { state: null, user: null, conversation: null, composing: false, opened: new Set() };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value;
    else if (name.startsWith("data-")) node.setAttribute(name, value);
    else node[name] = value;
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

function $(id) {
  return document.getElementById(id);
}

function time(seconds) {
  return new Date(seconds * 1000).toLocaleString();
}

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    // JSON from this page's origin: what the emulator requires of a change.
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const answer = await fetch(path, options);
  const data = await answer.json().catch(() => ({}));
  if (!answer.ok) {
    throw new Error(data.detail || `${answer.status} ${answer.statusText}`);
  }
  return data;
}

function userName(id) {
  const user = view.state.users.find((item) => item.id === id);
  return user ? `@${user.username}` : id;
}

function conversationKey(conversation) {
  return `${conversation.kind}:${conversation.id}`;
}

function conversationsOf(userId) {
  return (view.state && view.state.conversations[userId]) || [];
}

function current() {
  return conversationsOf(view.user).find((item) => conversationKey(item) === view.conversation);
}

function renderStatus() {
  const state = view.state;
  $("api-url").textContent = state.url;
  $("clock").textContent = time(state.now);
  $("clock-shift").textContent = state.clock_shift
    ? `(moved ${Math.round(state.clock_shift / 60)} min ahead)`
    : "";
  $("pending-faults").textContent = `${state.pending_faults} pending`;
  $("rate-limits-mode").textContent = state.rate_limits ? "enforced" : "off (not counted)";
}

function renderUsers() {
  const list = $("users");
  list.replaceChildren();
  for (const user of view.state.users) {
    const pick = el(
      "button",
      { type: "button", class: "user" + (user.id === view.user ? " selected" : ""), "data-user-id": user.id },
      el("strong", {}, `@${user.username}`),
      " ",
      user.name,
      user.xchat ? el("span", { class: "badge xchat" }, "XChat keys") : null,
    );
    pick.addEventListener("click", () => {
      view.user = user.id;
      view.conversation = null;
      view.composing = false;
      render();
    });
    const copy = el("button", { type: "button", class: "copy", "data-user-id": user.id }, "copy credentials");
    copy.addEventListener("click", () => copyCredentials(user));
    list.append(el("li", {}, pick, copy));
  }
}

async function copyCredentials(user) {
  const box = $("credentials");
  try {
    const found = await api("GET", `/_emulator/users/${user.id}/credentials`);
    const text = Object.entries(found)
      .map(([name, value]) => `${name}=${value}`)
      .join("\n");
    box.textContent = `# @${user.username}\n${text}`;
    box.hidden = false;
    if (navigator.clipboard) await navigator.clipboard.writeText(text).catch(() => {});
  } catch (error) {
    box.textContent = String(error.message);
    box.hidden = false;
  }
}

function renderConversations() {
  const list = $("conversations");
  list.replaceChildren();
  $("viewer-name").textContent = view.user ? `of ${userName(view.user)}` : "";
  $("new-conversation").disabled = !view.user;
  for (const conversation of conversationsOf(view.user)) {
    const others = conversation.members.filter((id) => id !== view.user).map(userName);
    const last = conversation.messages[conversation.messages.length - 1];
    const preview = last ? (last.text === null ? "(encrypted)" : last.text || last.type) : "";
    const key = conversationKey(conversation);
    const pick = el(
      "button",
      { type: "button", class: "conversation" + (key === view.conversation ? " selected" : ""), "data-conversation": key },
      el("span", { class: `badge ${conversation.kind}` }, conversation.kind === "xchat" ? "XChat" : "DM"),
      " ",
      el("strong", {}, others.join(", ") || "(only you)"),
      conversation.request ? el("span", { class: "badge request" }, "message request") : null,
      el("span", { class: "preview" }, preview),
    );
    pick.addEventListener("click", () => {
      view.conversation = key;
      view.composing = false;
      render();
    });
    list.append(el("li", {}, pick));
  }
}

function renderThread() {
  const thread = $("thread");
  const note = $("thread-note");
  const conversation = current();
  thread.replaceChildren();
  note.hidden = true;
  $("compose-new").hidden = !view.composing;
  $("compose").hidden = !view.user || (!conversation && !view.composing);
  if (!view.user) {
    $("thread-title").textContent = "Pick a user";
    return;
  }
  if (view.composing) {
    $("thread-title").textContent = `New message from ${userName(view.user)}`;
    const to = $("compose-to");
    const chosen = to.value;
    to.replaceChildren();
    for (const user of view.state.users) {
      if (user.id !== view.user) to.append(el("option", { value: user.id }, `@${user.username}`));
    }
    if (chosen) to.value = chosen;
    return;
  }
  if (!conversation) {
    $("thread-title").textContent = `Pick a conversation of ${userName(view.user)}`;
    return;
  }
  const others = conversation.members.filter((id) => id !== view.user).map(userName);
  $("thread-title").textContent = `${userName(view.user)} with ${others.join(", ")}`;
  if (conversation.kind === "xchat") {
    note.hidden = false;
    note.textContent = conversation.decrypted
      ? "XChat, end-to-end encrypted. Emulator-only view: decrypted here with the keys the " +
        "emulator holds for this user; X only ever sees the ciphertext (one click away)."
      : "XChat, end-to-end encrypted. The emulator holds no keys of this user: ciphertext only.";
  }
  for (const message of conversation.messages) {
    const mine = message.sender_id === view.user;
    let body;
    if (message.text === null && message.ciphertext) {
      body = el("span", { class: "text encrypted" }, "(encrypted: not readable with the keys held)");
    } else {
      body = el("span", { class: "text" }, message.text === null ? message.type : message.text);
    }
    const item = el(
      "li",
      { class: "message" + (mine ? " mine" : ""), "data-message-id": message.id },
      el("span", { class: "meta" }, `${userName(message.sender_id)} · ${time(message.created_at)}`),
      body,
    );
    if (message.ciphertext) {
      const details = el(
        "details",
        { class: "ciphertext", open: view.opened.has(message.id) },
        el("summary", {}, "ciphertext"),
        el("code", {}, message.ciphertext),
      );
      details.addEventListener("toggle", () => {
        if (details.open) view.opened.add(message.id);
        else view.opened.delete(message.id);
      });
      if (message.text !== null) {
        item.append(el("span", { class: "badge emulator-only" }, "decrypted by the emulator"));
      }
      item.append(details);
    }
    thread.append(item);
  }
}

function renderBudgets() {
  const body = $("budgets");
  body.replaceChildren();
  const user = view.state.users.find((item) => item.id === view.user);
  $("budget-user").textContent = user ? `of @${user.username}` : "";
  if (!user) return;
  if (!view.state.rate_limits) {
    body.append(el("tr", {}, el("td", { colSpan: 3 }, "Rate limits are off: nothing is counted.")));
    return;
  }
  if (!user.budgets.length) {
    body.append(el("tr", {}, el("td", { colSpan: 3 }, "No counted request yet: every budget is full.")));
  }
  for (const budget of user.budgets) {
    body.append(
      el(
        "tr",
        { class: budget.remaining === 0 ? "spent" : "" },
        el("td", {}, budget.endpoint),
        el("td", {}, `${budget.remaining} / ${budget.limit}`),
        el("td", {}, budget.reset === null ? "window ended" : time(budget.reset)),
      ),
    );
  }
}

function renderDeliveries() {
  const body = $("deliveries");
  body.replaceChildren();
  if (!view.state.deliveries.length) {
    body.append(el("tr", {}, el("td", { colSpan: 6 }, "No webhook delivery yet.")));
  }
  for (const item of view.state.deliveries) {
    const status = item.status === null ? item.error || "no answer" : String(item.status);
    const kind = item.replay ? `${item.kind} (replay)` : item.kind;
    body.append(
      el(
        "tr",
        { class: item.delivered ? "delivered" : "failed" },
        el("td", {}, time(item.at)),
        el("td", {}, item.webhook_id),
        el("td", {}, kind),
        el("td", {}, item.attempt > 1 ? `retry ${item.attempt - 1}` : "first"),
        el("td", {}, status),
        el("td", {}, item.event_uuid || ""),
      ),
    );
  }
}

function render() {
  if (!view.state) return;
  if (view.user && !view.state.users.some((item) => item.id === view.user)) view.user = null;
  renderStatus();
  renderUsers();
  renderConversations();
  renderThread();
  renderBudgets();
  renderDeliveries();
}

async function refresh() {
  view.state = await api("GET", "/_emulator/state");
  render();
}

async function send(event) {
  event.preventDefault();
  const text = $("compose-text").value;
  const error = $("compose-error");
  error.textContent = "";
  const body = { sender_id: view.user, text };
  const conversation = current();
  if (view.composing || !conversation) {
    body.recipient_id = $("compose-to").value;
    body.kind = $("compose-kind").value;
  } else {
    body.conversation_id = conversation.id;
    body.kind = conversation.kind;
  }
  try {
    const sent = await api("POST", "/_emulator/messages", body);
    $("compose-text").value = "";
    if (view.composing) {
      const id = sent.conversation_id || [view.user, body.recipient_id].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).join("-");
      view.conversation = `${body.kind}:${id}`;
      view.composing = false;
    }
    await refresh();
  } catch (problem) {
    error.textContent = problem.message;
  }
}

async function door(method, path, body) {
  $("doors-error").textContent = "";
  try {
    await api(method, path, body);
    await refresh();
  } catch (problem) {
    $("doors-error").textContent = problem.message;
  }
}

function listen() {
  const live = $("live");
  const source = new EventSource("/_emulator/events");
  source.addEventListener("open", () => {
    live.textContent = "live";
    live.className = "live on";
  });
  source.addEventListener("change", () => refresh().catch(() => {}));
  source.addEventListener("error", () => {
    live.textContent = "reconnecting…";
    live.className = "live off";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("compose").addEventListener("submit", send);
  $("compose-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) send(event);
  });
  $("new-conversation").addEventListener("click", () => {
    view.composing = true;
    view.conversation = null;
    // After X's cutover a user with XChat keys writes over XChat.
    const user = view.state.users.find((item) => item.id === view.user);
    $("compose-kind").value = user && user.xchat && view.state.legacy_dms !== "on" ? "xchat" : "dm";
    render();
  });
  $("fault-add").addEventListener("click", () => {
    const status = $("fault-status").value;
    const body = {
      path: $("fault-path").value,
      count: Number($("fault-count").value) || 1,
    };
    if (status === "drop") body.drop = true;
    else body.status = Number(status);
    if ($("fault-method").value) body.method = $("fault-method").value;
    door("POST", "/_emulator/faults", body);
  });
  $("fault-clear").addEventListener("click", () => door("DELETE", "/_emulator/faults", {}));
  for (const button of document.querySelectorAll("button.clock")) {
    button.addEventListener("click", () =>
      door("POST", "/_emulator/clock", { advance: Number(button.dataset.seconds) }),
    );
  }
  $("limits-reset").addEventListener("click", () => door("POST", "/_emulator/rate_limits/reset", {}));
  refresh().catch((error) => {
    $("banner").textContent = String(error.message);
  });
  listen();
});
