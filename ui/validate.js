// As-you-type checks for the connection form. Rust validates again on save and has the last
// word; these only spare the user a round trip. Pure functions: tested with `node --test`.

export const KINDS = {
  "innerspace-v2": { label: "InnerSpace v2 (session)", baseUrl: "https://api.innerspace.io" },
  "innerspace-v1": { label: "InnerSpace v1 (bearer token)", baseUrl: "https://api.innerspace.io" },
  spatiafi: { label: "SpatiaFi", baseUrl: "https://auth.spatiafi.com" },
};

export const SPATIAFI_METHODS = {
  client_secret_jwt: "Client credentials, signed assertion (recommended)",
  client_secret_basic: "Client credentials, Basic header",
  client_secret_post: "Client credentials, form body",
  password: "Email and password (password grant)",
  basic: "Email and password (Basic sign-in)",
};

export function isPersonalMethod(method) {
  return method === "password" || method === "basic";
}

export function isLoopbackHost(host) {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Returns an error message for the base URL, or "" when it is acceptable (blank = default). */
export function baseUrlProblem(value) {
  const text = value.trim();
  if (!text) return "";
  let url;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a valid URL. Example: https://api.innerspace.io`;
  }
  if (url.protocol === "https:") return url.search || url.hash ? "The base URL cannot contain ? or #." : "";
  if (url.protocol === "http:") {
    return isLoopbackHost(url.hostname)
      ? ""
      : `Use https:// for ${url.hostname}: plain http:// is allowed only for this computer (localhost, 127.0.0.1).`;
  }
  return `The base URL must start with https://, not ${url.protocol}//`;
}

/** Every field problem of a draft, as {field: message}. Empty object = valid. */
export function draftProblems(draft) {
  const problems = {};
  if (!draft.name?.trim()) problems.name = "Give the connection a name.";
  if (!draft.clientId?.trim()) {
    problems.clientId =
      draft.kind === "spatiafi" && isPersonalMethod(draft.authMethod) ? "Enter the email address." : "Enter the client id.";
  }
  const url = baseUrlProblem(draft.baseUrl ?? "");
  if (url) problems.baseUrl = url;
  return problems;
}
