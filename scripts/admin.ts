// `npm run admin -- <command>`: people and tokens from the command line, for automation and for the
// day nobody can sign in. Talks to the same database as the app (DATA_DIR or DATABASE_URL).
import { parseArgs } from "node:util";

import {
  createFirstAdmin,
  createMember,
  findMemberByEmail,
  hasAnyUser,
  resetPassword,
  temporaryPassword,
} from "@/lib/server/auth/members";
import { isRole, type Role } from "@/lib/server/auth/roles";
import { createToken } from "@/lib/server/auth/tokens";
import { ConfigError, loadConfig } from "@/lib/server/config";
import { closeDatabases, getDatabase } from "@/lib/server/db/client";
import { FolderInUseError } from "@/lib/server/db/folder-lock";
import { isApiError } from "@/lib/server/errors";

const USAGE = `Usage: npm run admin -- <command> [options]

  create-user    --email <email> --name <name> [--role viewer|member|admin] [--password <pw>]
                 The first user of an install is always an admin. Prints the temporary password
                 when --password is not given.
  create-token   --email <email> [--name <token name>] [--days <n>]
                 Prints a personal access token for that person (shown once).
  reset-password --email <email> [--password <pw>]
                 Prints the new temporary password; the person is signed out everywhere.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      password: { type: "string" },
      days: { type: "string" },
    },
  });
  if (!command || command === "help" || command === "--help") {
    process.stdout.write(USAGE);
    return;
  }
  const { db } = await getDatabase(loadConfig(process.env));
  const email = values.email ?? fail(`--email is required\n\n${USAGE}`);

  switch (command) {
    case "create-user": {
      const role = (values.role ?? "member") as Role;
      if (!isRole(role)) fail(`--role must be viewer, member or admin`);
      const name = values.name ?? email.split("@")[0] ?? email;
      if (values.password !== undefined && values.password.length < 10)
        fail("--password needs at least 10 characters");
      if (!(await hasAnyUser(db))) {
        const password = values.password ?? temporaryPassword();
        const admin = await createFirstAdmin(db, { email, name, password });
        process.stdout.write(
          `Created the first admin ${admin.email}${values.password ? "" : `\nTemporary password: ${password}`}\n`,
        );
        return;
      }
      const { member, password } = await createMember(db, { email, name, role, password: values.password });
      process.stdout.write(
        `Created ${member.role} ${member.email}${values.password ? "" : `\nTemporary password: ${password}`}\n`,
      );
      return;
    }
    case "create-token": {
      const member = (await findMemberByEmail(db, email)) ?? fail(`Nobody has the email ${email}`);
      const days = values.days === undefined ? undefined : Number(values.days);
      if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 3650))
        fail("--days must be a whole number from 1 to 3650");
      const { token } = await createToken(db, {
        userId: member.id,
        name: values.name ?? "command line",
        expiresInDays: days,
      });
      process.stdout.write(`${token}\n`);
      return;
    }
    case "reset-password": {
      const member = (await findMemberByEmail(db, email)) ?? fail(`Nobody has the email ${email}`);
      if (values.password !== undefined && values.password.length < 10)
        fail("--password needs at least 10 characters");
      const password = await resetPassword(db, member.id, values.password);
      process.stdout.write(
        values.password ? `Password changed for ${member.email}\n` : `Temporary password: ${password}\n`,
      );
      return;
    }
    default:
      fail(`Unknown command "${command}"\n\n${USAGE}`);
  }
}

main()
  .catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof FolderInUseError || isApiError(error))
      fail(error.message);
    throw error;
  })
  .finally(() => closeDatabases());
