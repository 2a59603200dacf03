import "server-only";

type Level = "debug" | "info" | "warn" | "error";

const secrets = new Set<string>();

/** Values registered here are replaced in every log line, wherever they appear. */
export function registerSecret(value: string | undefined) {
  if (value && value.length >= 4) secrets.add(value);
}

const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]{4,}/gi;
/** Personal access tokens, wherever they appear (a client may paste one into any field). */
const ACCESS_TOKEN = /\bbd_[A-Za-z0-9_-]{20,}/g;

export function redact(text: string): string {
  let out = text.replace(BEARER, "$1[redacted]").replace(ACCESS_TOKEN, "bd_[redacted]");
  for (const secret of secrets) out = out.split(secret).join("[redacted]");
  return out;
}

function write(level: Level, message: string, fields: Record<string, unknown>) {
  if (level === "debug" && !process.env.DEBUG) return;
  const line = redact(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
}

export type Logger = {
  [L in Level]: (message: string, fields?: Record<string, unknown>) => void;
} & { child: (fields: Record<string, unknown>) => Logger };

export function createLogger(base: Record<string, unknown> = {}): Logger {
  const at =
    (level: Level) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      write(level, message, { ...base, ...fields });
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

export const log = createLogger();
