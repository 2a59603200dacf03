import "server-only";

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { Config } from "../config";
import { registerSecret } from "../log";

const FILE = "auth-secret";

/**
 * `AUTH_SECRET`, or a random secret created on first start and kept (mode 0600) in `DATA_DIR`, so a
 * fresh install needs no configuration and sessions survive restarts. With PostgreSQL the
 * configuration requires `AUTH_SECRET`: instances sharing one database must sign alike, and each
 * would otherwise make its own.
 */
export function authSecret(config: Pick<Config, "AUTH_SECRET" | "DATA_DIR">): string {
  if (config.AUTH_SECRET) return config.AUTH_SECRET;
  const file = path.join(config.DATA_DIR, FILE);
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    // Another process (or an earlier start) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const secret = fs.readFileSync(file, "utf8").trim();
  if (secret.length < 32)
    throw new Error(`${file} holds a secret shorter than 32 characters; delete it to create a new one`);
  registerSecret(secret);
  return secret;
}
