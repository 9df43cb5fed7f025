// Credentials → Connections: one card per connection, an add/edit dialog whose secret field is
// write-only, and a confirmed delete. Secrets go into Rust and never come back.

import { call } from "./api.js";
import { Command, ConnectionKind } from "./contract.js";
import { showError, clearError } from "./banner.js";
import { h, clear } from "./dom.js";
import { healthText, lastTestedText, testedText } from "./health.js";
import { authMethods, defaults, isPersonal, kindInfo, kinds, loadCatalog, methodInfo, problemsByField } from "./catalog.js";

let onChange = () => {};
// app_info's time settings: the cards' times of day follow them.
let times = null;

export function initConnections({ changed }) {
  onChange = changed;
}

/** The connections from Rust. Listed even when the keyring cannot be asked; the banner says why
 * their secret status is "unknown". */
export async function loadConnections() {
  try {
    await loadCatalog();
    const list = await call(Command.list_connections);
    if (list.keyringError) showError(list.keyringError);
    return list.connections;
  } catch (e) {
    showError(e);
    return [];
  }
}

/** `times` is app_info's (the "Last tested" time follows the user's time display). */
export function renderConnections(root, connections, timeSettings) {
  times = timeSettings;
  clear(root).append(
    h("header", { class: "view-header" },
      h("h1", {}, "Credentials"),
      h("nav", { class: "jump", "aria-label": "On this page" },
        h("a", { href: "#app-credentials", dataset: { testid: "jump-app-credentials" }, onclick: jumpToAppCredentials }, "SpatiaFi App Credentials")),
    ),
    h("section", { class: "panel" },
      h("div", { class: "panel-header" },
        h("h2", {}, "Connections"),
        h("button", { class: "primary", dataset: { testid: "add-connection" }, onclick: () => openForm(null) }, "Add connection"),
      ),
      connections.length
        ? h("ul", { class: "cards", dataset: { testid: "connection-list" } }, connections.map(card))
        : h("p", { class: "empty", dataset: { testid: "no-connections" } },
            "No connections yet. Add one with the client id and secret your provider issued."),
    ),
  );
}

/** The link at the top: the App Credentials panel is below the connections; bring it into
 * view and move the focus there, so keyboard and screen reader users land on it too. */
function jumpToAppCredentials(event) {
  event.preventDefault();
  const panel = document.getElementById("app-credentials");
  if (!panel) return;
  panel.scrollIntoView({ block: "start" });
  panel.focus();
}

// Where the secret is kept is a fact, not a verdict: a neutral badge. Only the last test's
// outcome (healthLine) is coloured.
function secretBadge(c) {
  const text = c.hasSecret === null
    ? "Secret status unknown (keyring unavailable)"
    : c.hasSecret
      ? (c.demo ? "Secret in memory (demo)" : "Secret stored in keyring")
      : "No secret";
  return h("span", { class: "badge", dataset: { testid: "secret-status" } }, text);
}

function card(c) {
  return h("li", { class: "card", dataset: { testid: "connection-card", id: c.id, name: c.name } },
    h("div", { class: "card-main" },
      h("div", { class: "card-title" },
        h("strong", { dataset: { testid: "connection-name" } }, c.name),
        h("span", { class: "badge" }, kindInfo(c.kind)?.label ?? c.kind),
        c.demo ? h("span", { class: "badge demo" }, "Demo data") : null,
      ),
      h("dl", { class: "facts" },
        h("dt", {}, "Base URL"), h("dd", {}, c.baseUrl),
        c.kind === ConnectionKind.innerspaceToken
          ? null
          : [h("dt", {}, isPersonal(c.kind, c.authMethod) ? "Email" : "Client id"), h("dd", {}, c.clientId)],
        c.kind === ConnectionKind.spatiafi ? [h("dt", {}, "Sign-in"), h("dd", {}, methodInfo(c.authMethod)?.label ?? c.authMethod)] : null,
        c.kind === ConnectionKind.innerspaceV2 ? [h("dt", {}, "Audience"), h("dd", {}, c.audience)] : null,
      ),
      h("div", { class: "card-status" },
        secretBadge(c),
        healthLine(c),
      ),
      c.health ? h("p", { class: "last-tested", dataset: { testid: "last-tested" } }, lastTestedText(c.health.checkedAt, times, Date.now() / 1000)) : null,
      h("p", { class: "tested", dataset: { testid: "test-result" }, "aria-live": "polite" }),
    ),
    h("div", { class: "card-actions" },
      h("button", { dataset: { testid: "test-connection" }, onclick: () => testConnection(c.id) }, "Test"),
      c.demo ? null : h("button", { dataset: { testid: "edit-connection" }, onclick: () => openForm(c) }, "Edit"),
      h("button", { class: "danger", dataset: { testid: "delete-connection" }, onclick: () => confirmDelete(c) }, "Delete"),
    ),
  );
}

function healthLine(c) {
  const { text, tone } = healthText(c.health, Date.now() / 1000, times);
  // Coloured only for a verdict: OK or failed; "not tested yet" and a lapsed token are neutral.
  const colour = tone === "warn" ? "" : ` ${tone}`;
  return h("span", { class: `badge${colour}`, dataset: { testid: "connection-status", tone }, title: c.health?.code ?? "" }, text);
}

const cardOf = (id) => document.querySelector(`[data-testid=connection-card][data-id="${CSS.escape(id)}"]`);

/** Tests connection `id` with its stored secret; its card says so meanwhile and shows the
 * outcome after the redraw. */
async function testConnection(id) {
  const card = cardOf(id);
  const button = card?.querySelector("[data-testid=test-connection]");
  if (button) {
    button.disabled = true;
    button.textContent = "Testing…";
  }
  const result = card?.querySelector("[data-testid=test-result]");
  if (result) result.textContent = "";
  try {
    const status = await call(Command.test_connection, { id });
    clearError();
    onChange({ tested: id, text: testedText(status, times) });
  } catch (e) {
    onChange({ tested: id, error: e });
  }
}

/**
 * After a re-render, shows the success sentence on the card that was just tested. A failure
 * is on the card already (Rust keeps the last test's outcome): the banner would only repeat
 * it, so it is used only when the card cannot show it (the connection is gone).
 */
export function showTested({ tested, text, error }) {
  const card = cardOf(tested);
  if (error) {
    if (card?.querySelector("[data-testid=connection-status]")?.dataset.tone !== "bad") showError(error);
    return;
  }
  const result = card?.querySelector("[data-testid=test-result]");
  if (result && text) result.textContent = text;
}

function field(label, input, name, hint) {
  return h("label", { class: "field", dataset: { field: name } },
    h("span", { class: "field-label" }, label),
    input,
    hint ? h("span", { class: "field-hint" }, hint) : null,
    h("span", { class: "field-error", dataset: { testid: `error-${name}` }, "aria-live": "polite" }),
  );
}

const SECRET_HINT = "Kept in your system keyring, never in a file. It cannot be shown again.";
const TOKEN_HINT = "Paste the bearer token from InnerSpace's web app. It is kept in your system keyring, never in a file; nothing renews it, so paste a new one when it expires.";

/** The edit form of connection `id` (a run-out personal token's "Paste a new token"). */
export async function openEditForm(id) {
  const c = (await loadConnections()).find((one) => one.id === id);
  if (c) openForm(c);
}

function openForm(existing) {
  const dialog = document.getElementById("connection-dialog");
  const kind = h("select", { name: "kind", dataset: { testid: "conn-kind" }, disabled: !!existing },
    kinds().map(({ id, label }) => h("option", { value: id }, label)));
  kind.value = existing?.kind ?? defaults().kind;
  const name = h("input", { name: "name", dataset: { testid: "conn-name" }, autocomplete: "off", value: existing?.name ?? "" });
  const baseUrl = h("input", { name: "baseUrl", dataset: { testid: "conn-base-url" }, autocomplete: "off", spellcheck: "false", value: existing?.baseUrl ?? "" });
  const clientId = h("input", { name: "clientId", dataset: { testid: "conn-client-id" }, autocomplete: "off", spellcheck: "false", value: existing?.clientId ?? "" });
  const audience = h("input", { name: "audience", dataset: { testid: "conn-audience" }, spellcheck: "false", value: existing?.audience ?? "", placeholder: defaults().audience });
  const groupId = h("input", { name: "groupId", dataset: { testid: "conn-group-id" }, spellcheck: "false", value: existing?.groupId ?? "" });
  const authMethod = h("select", { name: "authMethod", dataset: { testid: "conn-auth-method" } },
    authMethods().map(({ id, label }) => h("option", { value: id }, label)));
  authMethod.value = existing?.authMethod ?? defaults().authMethod;
  const secret = h("input", {
    name: "secret", type: "password", autocomplete: "new-password", dataset: { testid: "conn-secret" },
    placeholder: existing?.hasSecret ? "Stored in keyring; type to replace" : "",
  });
  const formError = h("p", { class: "form-error", dataset: { testid: "form-error" }, role: "alert" });
  // The default (Enter) saves and then tests with the stored secret, so a wrong one shows on
  // the card at once; plain Save is there for a connection that cannot be reached yet.
  const saveAndTest = h("button", { class: "primary", type: "submit", value: "test", dataset: { testid: "conn-save-test" } }, "Save and test");
  const save = h("button", { type: "submit", value: "save", dataset: { testid: "conn-save" } }, "Save");
  const cancel = h("button", { type: "button", dataset: { testid: "conn-cancel" }, onclick: () => dialog.close() }, "Cancel");

  const fields = {
    kind: field("Service", kind, "kind"),
    name: field("Name", name, "name"),
    baseUrl: field("Base URL", baseUrl, "baseUrl"),
    clientId: field("Client id", clientId, "clientId"),
    authMethod: field("Sign-in method", authMethod, "authMethod"),
    audience: field("Audience", audience, "audience", "Leave blank for the default."),
    groupId: field("Group id", groupId, "groupId", "Optional. Blank: everyone (v2) or no group filter (v1)."),
    secret: field("Client secret", secret, "secret", SECRET_HINT),
  };

  const draft = () => ({
    id: existing?.id,
    kind: kind.value,
    name: name.value,
    baseUrl: baseUrl.value,
    clientId: clientId.value,
    audience: kind.value === ConnectionKind.innerspaceV2 ? audience.value : null,
    groupId: kind.value === ConnectionKind.spatiafi ? null : groupId.value,
    authMethod: kind.value === ConnectionKind.spatiafi ? authMethod.value : null,
  });

  const touched = new Set();
  // Rust checks the draft (its own validation, the name being free included); answers that
  // arrive out of order are dropped, so the form shows the check of what is typed now.
  let asked = 0;
  const check = async () => {
    const ticket = ++asked;
    const problems = problemsByField(await call(Command.check_connection, { draft: draft() }));
    return ticket === asked ? problems : null;
  };
  const showProblems = (problems, all = false) => {
    for (const [key, f] of Object.entries(fields)) {
      const message = (all || touched.has(key)) ? problems[key] ?? "" : "";
      f.querySelector(".field-error").textContent = message;
      f.classList.toggle("invalid", !!message);
    }
  };
  const adapt = async () => {
    const k = kind.value;
    const personal = isPersonal(k, authMethod.value);
    fields.audience.hidden = k !== ConnectionKind.innerspaceV2;
    fields.groupId.hidden = k === ConnectionKind.spatiafi;
    fields.authMethod.hidden = k !== ConnectionKind.spatiafi;
    const token = k === ConnectionKind.innerspaceToken;
    // A personal token is the whole credential: no client id, the token in the secret field.
    fields.clientId.hidden = token;
    fields.clientId.querySelector(".field-label").textContent = personal ? "Email" : "Client id";
    fields.secret.querySelector(".field-label").textContent = personal ? "Password" : token ? "Bearer token (JWT)" : "Client secret";
    fields.secret.querySelector(".field-hint").textContent = token ? TOKEN_HINT : SECRET_HINT;
    baseUrl.placeholder = kindInfo(k)?.defaultBaseUrl ?? "";
    try {
      const problems = await check();
      if (problems) showProblems(problems);
    } catch (e) {
      formError.textContent = e.message;
    }
  };
  for (const input of [name, baseUrl, clientId]) {
    input.addEventListener("input", () => { touched.add(input.name); adapt(); });
  }
  kind.addEventListener("change", adapt);
  authMethod.addEventListener("change", adapt);

  const form = h("form", { method: "dialog", class: "form", dataset: { testid: "connection-form" } },
    h("h2", {}, existing ? `Edit ${existing.name}` : "Add a connection"),
    Object.values(fields),
    formError,
    h("div", { class: "form-actions" }, cancel, save, saveAndTest),
  );
  // Enter in a field means the default action, Save and test (the browser would pick the
  // first submit button in the page's order, plain Save).
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.target instanceof HTMLInputElement)) return;
    event.preventDefault();
    form.requestSubmit(saveAndTest);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const test = event.submitter !== save;
    save.disabled = true;
    saveAndTest.disabled = true;
    formError.textContent = "";
    try {
      const problems = problemsByField(await call(Command.check_connection, { draft: draft() }));
      showProblems(problems, true);
      if (Object.keys(problems).length) {
        formError.textContent = "Fix the highlighted fields.";
        return;
      }
      const saved = await call(Command.save_connection, { draft: draft(), secret: secret.value || null });
      secret.value = "";
      dialog.close();
      clearError();
      // Saved either way: a failed test leaves the connection and shows why on its card.
      await onChange();
      if (test) await testConnection(saved.id);
    } catch (e) {
      formError.textContent = e.message;
      if (e.field) showProblems({ [e.field]: e.message }, true);
    } finally {
      save.disabled = false;
      saveAndTest.disabled = false;
    }
  });
  // Closing by Escape or Cancel must not leave the typed secret in the page.
  dialog.addEventListener("close", () => { secret.value = ""; clear(dialog); }, { once: true });

  clear(dialog).append(form);
  adapt();
  dialog.showModal();
  name.focus();
}

function confirmDelete(c) {
  const dialog = document.getElementById("confirm-dialog");
  const yes = h("button", { class: "danger", dataset: { testid: "confirm-delete" } }, "Delete");
  const no = h("button", { dataset: { testid: "cancel-delete" }, onclick: () => dialog.close() }, "Cancel");
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      await call(Command.delete_connection, { id: c.id });
      clearError();
    } catch (e) {
      showError(e);
    }
    dialog.close();
    onChange();
  });
  clear(dialog).append(
    h("h2", {}, `Delete ${c.name}?`),
    h("p", {}, c.demo
      ? "This removes the demo connection until the next start."
      : "This removes the connection and its secret from your keyring. It cannot be undone."),
    h("div", { class: "form-actions" }, no, yes),
  );
  dialog.showModal();
  no.focus();
}
