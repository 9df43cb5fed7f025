// The kinds of connection and SpatiaFi sign-in methods with their labels and defaults come
// from Rust's one table (`connection_catalog`); the names the window compares against are the
// contract's (`ConnectionKind`, generated from the same Rust enum).

import { call } from "./api.js";
import { Command, ConnectionKind } from "./contract.js";

let catalog = null;

/** Loads the catalog once per page. */
export async function loadCatalog() {
  catalog ??= await call(Command.connection_catalog);
  return catalog;
}

export function kinds() {
  return catalog?.kinds ?? [];
}

export function authMethods() {
  return catalog?.authMethods ?? [];
}

export function defaults() {
  return {
    kind: catalog?.defaultKind,
    authMethod: catalog?.defaultAuthMethod,
    audience: catalog?.defaultAudience,
  };
}

export function kindInfo(id) {
  return kinds().find((k) => k.id === id);
}

export function methodInfo(id) {
  return authMethods().find((m) => m.id === id);
}

/** Whether a connection of this kind and method signs in with an email and password. */
export function isPersonal(kind, method) {
  return kind === ConnectionKind.spatiafi && !!methodInfo(method)?.personal;
}

/** Whether a connection's sign-in ends without renewing itself: a person's password sign-in,
 * or a pasted personal token. */
export function endsUnrenewed(c) {
  return c.kind === ConnectionKind.innerspaceToken || isPersonal(c.kind, c.authMethod);
}

/** Rust's list of field problems as {field: message}, first message per field. */
export function problemsByField(problems) {
  const byField = {};
  for (const { field, message } of problems) byField[field] ??= message;
  return byField;
}
