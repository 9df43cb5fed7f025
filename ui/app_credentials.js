// Credentials → SpatiaFi App Credentials: sign in (15-minute token kept in Rust), list, create
// (the secret is in the keyring before it is shown, once), delete, use as connection.
//
// A new client secret is the only secret that ever reaches this page. It lives in the secret
// dialog's DOM until "I have saved it", which clears the dialog.

import { call, writeClipboard } from "./api.js";
import { Command, ErrorCode, WARN_AT_COUNT } from "./contract.js";
import { showError, clearError } from "./banner.js";
import { h, clear } from "./dom.js";
import { authMethods, defaults, loadCatalog } from "./catalog.js";
import { duration } from "./health.js";
import { deleteConsequence, deletedText, fieldLines, needsManyConfirm, rowFacts, signInMessage, timeLeft, unused } from "./app_credentials_text.js";

// Kept across re-renders of the Credentials view (the view is rebuilt after every change).
const state = {
  panel: null,
  credentials: null,
  notice: null, // {text, tone, lines?}
  pending: null, // what to carry on with after signing in again: {label, run}
  busy: false,
};
let timer = null;
let root = null;
let onChange = () => {};

export function initAppCredentials({ changed }) {
  onChange = changed;
}

const now = () => Date.now() / 1000;

/** Appends the panel to the Credentials view and fills it from Rust. */
export async function renderAppCredentials(view) {
  // The target of "SpatiaFi App Credentials" at the top of Credentials (it takes the focus).
  root = h("section", { class: "panel", id: "app-credentials", tabindex: "-1", "aria-labelledby": "app-credentials-title", dataset: { testid: "app-credentials" } });
  view.append(root);
  try {
    await loadCatalog();
    state.panel = await call(Command.spatiafi_panel);
  } catch (e) {
    showError(e);
  }
  if (signedIn() && !state.credentials) await refresh(false);
  draw();
}

function signedIn() {
  const s = state.panel?.signedIn;
  return s && !timeLeft(s.token, now()).expired ? s : null;
}

function notice(text, tone = "ok", lines = []) {
  state.notice = { text, tone, lines };
}

/** Runs an action; a sign-in that ran out keeps the action to carry on with afterwards. */
async function act(label, run) {
  state.busy = true;
  draw();
  try {
    await run();
    clearError();
  } catch (e) {
    if (e.code === ErrorCode.signInRequired) {
      state.pending = { label, run };
      if (state.panel) state.panel.signedIn = null;
      notice(`Your SpatiaFi sign-in has run out. Sign in again and Occupancy Desk will carry on: ${label}. Nothing was changed.`, "warn");
    } else if (e.fields?.length) {
      notice(e.message, "bad", fieldLines(e));
    } else {
      showError(e);
    }
  } finally {
    state.busy = false;
    draw();
  }
}

async function refresh(redraw = true) {
  state.credentials = await call(Command.list_app_credentials);
  if (state.credentials.keyringError) showError(state.credentials.keyringError);
  if (redraw) draw();
}

function draw() {
  if (!root) return;
  clearInterval(timer);
  const who = signedIn();
  // Native append would print "null" for a missing part: drop them first.
  clear(root).append(...[
    h("div", { class: "panel-header" },
      h("h2", { id: "app-credentials-title" }, "SpatiaFi App Credentials"),
      who ? h("div", { class: "card-actions" },
        h("button", { dataset: { testid: "refresh-app-credentials" }, disabled: state.busy, onclick: () => act("reload the list", () => refresh()) }, "Refresh"),
        h("button", { class: "primary", dataset: { testid: "create-app-credential" }, disabled: state.busy, onclick: startCreate }, "Create"),
      ) : null,
    ),
    noticeLine(),
    who ? signedInView(who) : signInForm(),
  ].filter(Boolean));
  if (who) {
    const tick = () => {
      const el = root.querySelector("[data-testid=sf-time-left]");
      const left = timeLeft(state.panel?.signedIn?.token, now());
      if (el) el.textContent = left.text;
      if (left.expired) {
        clearInterval(timer);
        notice("Your SpatiaFi sign-in has run out (it lasts 15 minutes). Sign in again to continue.", "warn");
        draw();
      }
    };
    timer = setInterval(tick, 1000);
  }
}

function noticeLine() {
  const n = state.notice;
  if (!n) return null;
  return h("div", { class: `notice ${n.tone}`, dataset: { testid: "sf-notice" }, role: "status" },
    h("p", {}, n.text),
    n.lines?.length ? h("ul", {}, n.lines.map((l) => h("li", { dataset: { testid: "sf-field-error" } }, l))) : null,
  );
}

function signInForm() {
  const p = state.panel ?? { signInConnections: [], defaultBaseUrl: "" };
  const using = h("select", { dataset: { testid: "sf-connection" } },
    h("option", { value: "" }, "Email and password"),
    p.signInConnections.map((c) => h("option", { value: c.id }, `${c.name} (${c.clientId})`)));
  const email = h("input", { type: "email", name: "email", autocomplete: "username", dataset: { testid: "sf-email" } });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", dataset: { testid: "sf-password" } });
  const baseUrl = h("input", { name: "baseUrl", spellcheck: "false", dataset: { testid: "sf-base-url" }, value: p.defaultBaseUrl });
  const remember = h("input", { type: "checkbox", dataset: { testid: "sf-remember" } });
  const error = h("p", { class: "form-error", dataset: { testid: "sf-signin-error" }, role: "alert" });
  const fieldError = (name) => h("span", { class: "field-error", dataset: { testid: `sf-error-${name}` } });
  const typed = [
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Email"), email, fieldError("email")),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "Password"), password, fieldError("password"),
      h("span", { class: "field-hint" }, "Used once to get a 15-minute token, then forgotten.")),
    h("label", { class: "field" }, h("span", { class: "field-label" }, "SpatiaFi address"), baseUrl, fieldError("baseUrl")),
    h("label", { class: "check" }, remember, "Remember password in the keyring (saves a SpatiaFi connection for this email)"),
  ];
  const typedBox = h("div", { class: "form" }, typed);
  using.addEventListener("change", () => { typedBox.hidden = !!using.value; });
  const submit = h("button", { class: "primary", type: "submit", dataset: { testid: "sf-sign-in" }, disabled: state.busy },
    state.pending ? "Sign in and continue" : "Sign in");
  const form = h("form", { class: "form", dataset: { testid: "sf-signin-form" } },
    h("p", { class: "note" }, "Sign in with your SpatiaFi email and password to manage App Credentials."),
    p.signInConnections.length ? h("label", { class: "field" }, h("span", { class: "field-label" }, "Sign in with"), using) : null,
    typedBox, error,
    h("div", { class: "form-actions start" }, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = "";
    for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
    const request = using.value
      ? { connection: using.value }
      : { email: email.value, password: password.value, baseUrl: baseUrl.value, remember: remember.checked };
    try {
      const signed = await call(Command.spatiafi_sign_in, { request });
      password.value = "";
      state.panel = await call(Command.spatiafi_panel);
      state.panel.signedIn = { ...state.panel.signedIn, ...signed };
      state.notice = null;
      if (signed.rememberError) showError({ message: `Signed in, but the password was not saved: ${signed.rememberError.message}` });
      else clearError();
      const pending = state.pending;
      state.pending = null;
      await act("reload the list", () => refresh(false));
      if (pending) await act(pending.label, pending.run);
      if (signed.savedConnection) onChange();
    } catch (e) {
      password.value = "";
      const slot = e.field && form.querySelector(`[data-testid=sf-error-${e.field}]`);
      // Typed here: the words point to this form. A saved connection's password is in its settings.
      const message = using.value ? e.message : signInMessage(e);
      if (slot) slot.textContent = message;
      else error.textContent = message;
      submit.disabled = false;
    }
  });
  return form;
}

function signedInView(who) {
  const rows = state.credentials?.credentials ?? [];
  const idle = unused(rows);
  return h("div", {},
    h("p", { class: "signed-in", dataset: { testid: "sf-signed-in" } },
      `Signed in as ${who.email} · `,
      h("span", { dataset: { testid: "sf-time-left" } }, timeLeft(who.token, now()).text),
      " ",
      h("button", { class: "link", dataset: { testid: "sf-sign-out" }, onclick: signOut }, "Sign out"),
    ),
    rows.length
      ? h("ul", { class: "cards", dataset: { testid: "app-credential-list" } }, rows.map(row))
      : h("p", { class: "empty", dataset: { testid: "no-app-credentials" } }, state.credentials ? "No App Credentials yet." : "Loading…"),
    idle.length
      ? h("p", { class: "note", dataset: { testid: "unused-note" } },
          `${idle.length} App Credential${idle.length === 1 ? " is" : "s are"} not used by any connection on this computer. SpatiaFi advises deleting unused ones. `,
          h("button", { dataset: { testid: "delete-unused" }, disabled: state.busy, onclick: () => confirmDeleteUnused(idle) }, "Delete unused…"))
      : null,
  );
}

function row(r) {
  const canUse = r.secretHere === true || r.unsaved;
  return h("li", { class: "card", dataset: { testid: "app-credential", clientId: r.clientId } },
    h("div", { class: "card-main" },
      h("dl", { class: "facts" }, rowFacts(r).flatMap((f) => [
        h("dt", {}, f.label),
        h("dd", { class: f.warn ? "warn" : "", dataset: { testid: f.testid } }, f.code ? h("code", {}, f.text) : f.text),
      ])),
    ),
    h("div", { class: "card-actions" },
      r.unsaved ? h("button", { dataset: { testid: "retry-save-row" }, onclick: () => retrySave(r.clientId) }, "Retry saving") : null,
      canUse ? h("button", { dataset: { testid: "use-as-connection" }, disabled: state.busy, onclick: () => openUse(r) }, "Use as connection") : null,
      h("button", { class: "danger", dataset: { testid: "delete-app-credential" }, disabled: state.busy, onclick: () => confirmDelete(r) }, "Delete"),
    ),
  );
}

async function signOut() {
  await call(Command.spatiafi_sign_out).catch(showError);
  if (state.panel) state.panel.signedIn = null;
  state.credentials = null;
  state.pending = null;
  state.notice = null;
  draw();
}

function confirmDialog(title, body, yesLabel, yesTestid, onYes, { danger = true } = {}) {
  const dialog = document.getElementById("confirm-dialog");
  const yes = h("button", { class: danger ? "danger" : "primary", dataset: { testid: yesTestid } }, yesLabel);
  const no = h("button", { dataset: { testid: "cancel-confirm" }, onclick: () => dialog.close() }, "Cancel");
  yes.addEventListener("click", async () => {
    dialog.close();
    await onYes();
  });
  clear(dialog).append(h("h2", {}, title), body, h("div", { class: "form-actions" }, no, yes));
  dialog.addEventListener("close", () => clear(dialog), { once: true });
  dialog.showModal();
  no.focus();
}

function startCreate() {
  const count = state.credentials?.credentials.length ?? 0;
  const warnAt = state.panel?.warnAtCount ?? WARN_AT_COUNT;
  if (needsManyConfirm(count, warnAt)) confirmMany(count);
  else act("create an App Credential", () => create(false));
}

function confirmMany(count) {
  confirmDialog(
    "Create another App Credential?",
    h("p", { dataset: { testid: "many-warning" } },
      `This account already has ${count} App Credentials. SpatiaFi advises one per app, reused rather than created anew, and deleting unused ones.`),
    "Create anyway", "confirm-create-many",
    () => act("create an App Credential", () => create(true)),
    { danger: false },
  );
}

async function create(allowMany) {
  let created;
  try {
    created = await call(Command.create_app_credential, { allowMany });
  } catch (e) {
    // The list changed since it was shown: ask, as for the tenth.
    if (e.field === "allowMany") {
      await refresh(false);
      confirmMany(state.credentials?.credentials.length ?? 0);
      return;
    }
    throw e;
  }
  showSecret(created);
  await refresh(false).catch(showError);
}

/** The one time a client secret is shown. */
function showSecret(created) {
  const dialog = document.getElementById("secret-dialog");
  const secret = h("code", { class: "secret", dataset: { testid: "new-secret" } }, created.clientSecret);
  const copied = h("span", { class: "field-hint", dataset: { testid: "copy-result" }, "aria-live": "polite" });
  const copy = h("button", { dataset: { testid: "copy-secret" } }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await writeClipboard(created.clientSecret);
      copied.textContent = "Copied to the clipboard.";
    } catch (e) {
      // The clipboard refused (no display's clipboard to own): select the text so Ctrl+C can.
      const range = document.createRange();
      range.selectNodeContents(secret);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      copied.textContent = `${e.message} It is selected: press Ctrl+C (⌘C) to copy.`;
    }
  });
  const saved = h("p", { class: created.saved ? "saved ok" : "saved bad", dataset: { testid: "secret-saved" } });
  const retry = h("button", { dataset: { testid: "retry-save" } }, "Retry saving");
  const showSaved = (ok, error) => {
    saved.textContent = ok
      ? "Saved in this computer's keyring, so it can be used as a connection here."
      : `NOT saved on this computer: ${error?.message ?? "the keyring refused it"} Copy it now, or unlock the keyring and retry.`;
    saved.className = ok ? "saved ok" : "saved bad";
    retry.hidden = ok;
  };
  showSaved(created.saved, created.saveError);
  retry.addEventListener("click", async () => {
    retry.disabled = true;
    try {
      await call(Command.retry_save_app_credential, { clientId: created.clientId });
      showSaved(true);
    } catch (e) {
      showSaved(false, e);
    } finally {
      retry.disabled = false;
    }
  });
  const done = h("button", { class: "primary", dataset: { testid: "secret-done" }, onclick: () => dialog.close() }, "I have saved it");
  clear(dialog).append(
    h("h2", {}, "App Credential created"),
    h("dl", { class: "facts" }, h("dt", {}, "Client id"), h("dd", { dataset: { testid: "new-client-id" } }, created.clientId)),
    h("p", { class: "field-label" }, "Client secret"),
    h("div", { class: "secret-row" }, secret, copy),
    copied,
    h("p", { class: "warning", dataset: { testid: "secret-notice" } },
      "You will not see this again. SpatiaFi shows a client secret only once; copy it to where your app keeps secrets now."),
    saved,
    h("div", { class: "form-actions" }, retry, done),
  );
  // Closing needs the explicit "I have saved it"; Escape does not dismiss it by accident.
  const cancel = (event) => event.preventDefault();
  dialog.addEventListener("cancel", cancel);
  dialog.addEventListener("close", () => {
    dialog.removeEventListener("cancel", cancel);
    clear(dialog); // the secret leaves the page
    draw();
  }, { once: true });
  dialog.showModal();
  done.focus();
}

async function retrySave(clientId) {
  await act("save the secret", async () => {
    await call(Command.retry_save_app_credential, { clientId });
    notice(`Saved the secret of ${clientId} in the keyring.`);
    await refresh(false);
  });
}

function confirmDelete(r) {
  confirmDialog(
    `Delete App Credential ${r.clientId}?`,
    h("p", { dataset: { testid: "delete-consequence" } }, deleteConsequence(r)),
    "Delete", "confirm-delete-app-credential",
    () => act(`delete ${r.clientId}`, () => remove(r.clientId)),
  );
}

async function remove(clientId) {
  const outcome = await call(Command.delete_app_credential, { clientId });
  notice(deletedText(outcome));
  if (outcome.localError) {
    showError({ code: outcome.localError.code, message: `Deleted on SpatiaFi, but its secret could not be removed from this computer: ${outcome.localError.message}` });
  }
  await refresh(false);
  if (outcome.secretsRemovedFrom.length) onChange();
}

function confirmDeleteUnused(rows) {
  confirmDialog(
    `Delete ${rows.length} unused App Credential${rows.length === 1 ? "" : "s"}?`,
    h("div", {},
      h("p", {}, "No connection on this computer uses these. Apps elsewhere might; deleting cannot be undone."),
      h("ul", {}, rows.map((r) => h("li", {}, h("code", {}, r.clientId))))),
    "Delete all", "confirm-delete-unused",
    () => act("delete unused App Credentials", async () => {
      for (const r of rows) await remove(r.clientId);
    }),
  );
}

function openUse(r) {
  const methods = authMethods().filter((m) => !m.personal);
  const name = h("input", { dataset: { testid: "use-name" }, value: `SpatiaFi ${r.clientId.slice(0, 8)}` });
  const method = h("select", { dataset: { testid: "use-method" } }, methods.map((m) => h("option", { value: m.id }, m.label)));
  // Rust's default method (the recommended one), unless it signs in as a person.
  method.value = methods.some((m) => m.id === defaults().authMethod) ? defaults().authMethod : methods[0]?.id ?? "";
  confirmDialog(
    "Use as connection",
    h("div", { class: "form" },
      h("p", {}, "Saves a SpatiaFi connection with this App Credential (its secret stays in the keyring) and fetches a token to prove it."),
      h("label", { class: "field" }, h("span", { class: "field-label" }, "Connection name"), name),
      h("label", { class: "field" }, h("span", { class: "field-label" }, "Sign-in method"), method)),
    "Save and test", "use-confirm",
    () => act(`use ${r.clientId} as a connection`, async () => {
      const used = await call(Command.use_app_credential_as_connection, {
        request: { clientId: r.clientId, name: name.value, authMethod: method.value },
      });
      const label = used.connection.name;
      if (used.testError) {
        notice(`Saved connection ${label}, but the test failed: ${used.testError.message}`, "bad");
      } else {
        notice(`Saved connection ${label} and fetched a token valid for ${duration(used.token.remainingSecs)}.`);
      }
      await refresh(false);
      onChange();
    }),
    { danger: false },
  );
}
