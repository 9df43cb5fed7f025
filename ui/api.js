// The one door to Rust. Every failure becomes {code, message, field?} so views can show it
// the same way. Commands and their arguments are the contract's (generated from Rust).

import { COMMAND_ARGS } from "./contract.js";

/**
 * The window's own codes, for what never came from Rust's `Error` (its codes are the
 * contract's `ErrorCode`, none of which starts with "window.").
 */
export const WindowCode = Object.freeze({
  /** The page runs outside the app: there is no Tauri IPC. */
  noIpc: "window.no_ipc",
  /** A command or argument the contract does not have (a mistake in the window). */
  badCall: "window.bad_call",
  /** Tauri refused the call without a code (arguments it could not read, the capability). */
  unexpected: "window.unexpected",
  /** app_info's `cacheNotice`: Rust replaced a damaged cache file and says why, once. */
  cacheReplaced: "window.cache_replaced",
});

export class AppError extends Error {
  constructor({ code, message, field, connection }) {
    super(message);
    this.code = code;
    this.field = field;
    // The connection a run-out personal token belongs to (its edit form takes a new one).
    this.connection = connection;
  }
}

/**
 * Why `command` with `args` cannot be sent, or null. Tauri ignores an argument a command does
 * not take, so a misspelt optional one would silently do nothing: refuse it here.
 */
export function callProblem(command, args) {
  const known = Object.prototype.hasOwnProperty.call(COMMAND_ARGS, command) ? COMMAND_ARGS[command] : null;
  if (!known) return `There is no command "${command}".`;
  const unknown = Object.keys(args).filter((key) => !known.includes(key));
  return unknown.length ? `The command "${command}" takes no argument ${unknown.map((k) => JSON.stringify(k)).join(", ")}.` : null;
}

const noIpc = () => new AppError({ code: WindowCode.noIpc, message: "This page must run inside the Occupancy Desk app." });

/** Calls a command (`Command.…` from the contract) with its arguments. */
export async function call(command, args = {}) {
  const problem = callProblem(command, args);
  if (problem) throw new AppError({ code: WindowCode.badCall, message: problem });
  const tauri = window.__TAURI__;
  if (!tauri?.core?.invoke) throw noIpc();
  try {
    return await tauri.core.invoke(command, args);
  } catch (e) {
    if (e && typeof e === "object" && "code" in e) throw new AppError(e);
    throw new AppError({ code: WindowCode.unexpected, message: String(e?.message ?? e) });
  }
}

/**
 * Puts `text` on the system clipboard through the clipboard plugin (the webview's
 * navigator.clipboard is refused in the app window). The window may only write text there.
 */
export async function writeClipboard(text) {
  const tauri = window.__TAURI__;
  if (!tauri?.core?.invoke) throw noIpc();
  try {
    await tauri.core.invoke("plugin:clipboard-manager|write_text", { text });
  } catch (e) {
    throw new AppError({ code: WindowCode.unexpected, message: `Could not copy to the clipboard: ${String(e?.message ?? e)}` });
  }
}

/** A Tauri channel for progress reports from a long command. */
export function channel(onMessage) {
  const Channel = window.__TAURI__?.core?.Channel;
  if (!Channel) throw noIpc();
  const ch = new Channel();
  ch.onmessage = onMessage;
  return ch;
}
