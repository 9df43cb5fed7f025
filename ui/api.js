// The one door to Rust. Every failure becomes {code, message, field?} so views can show it
// the same way.

export class AppError extends Error {
  constructor({ code, message, field }) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

export async function call(command, args = {}) {
  const tauri = window.__TAURI__;
  if (!tauri?.core?.invoke) {
    throw new AppError({ code: "app.no_ipc", message: "This page must run inside the Occupancy Desk app." });
  }
  try {
    return await tauri.core.invoke(command, args);
  } catch (e) {
    if (e && typeof e === "object" && "code" in e) throw new AppError(e);
    throw new AppError({ code: "app.unexpected", message: String(e?.message ?? e) });
  }
}

/** A Tauri channel for progress reports from a long command. */
export function channel(onMessage) {
  const Channel = window.__TAURI__?.core?.Channel;
  if (!Channel) {
    throw new AppError({ code: "app.no_ipc", message: "This page must run inside the Occupancy Desk app." });
  }
  const ch = new Channel();
  ch.onmessage = onMessage;
  return ch;
}
