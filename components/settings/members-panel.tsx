"use client";

import { useState, type FormEvent } from "react";

import { LabelledInput } from "@/components/auth/input";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { controlClass } from "@/components/ui/field";
import { fieldError } from "@/lib/client/request";
import { useMemberActions, useMembers } from "@/lib/client/use-team";
import { ROLES, type Member, type Role, type UpdateMemberInput } from "@/lib/scene/team";

/** Admins add people (with a temporary password shown once), change roles and budgets, disable accounts. */
export function MembersPanel({
  initial,
  selfId,
  defaultBudget,
}: {
  initial: Member[];
  selfId: string;
  defaultBudget: number;
}) {
  const { data: members, error: loadError } = useMembers(initial);
  const actions = useMemberActions();
  const [draft, setDraft] = useState({ name: "", email: "", role: "member" as Role });
  /** What the last action did, and the temporary password it made (shown once, with a Copy button). */
  const [notice, setNotice] = useState<{ message: string; secret?: string }>();
  const [actionError, setActionError] = useState<unknown>();
  const error = actionError ?? loadError;

  async function act(run: () => Promise<{ message: string; secret?: string } | void>) {
    setActionError(undefined);
    setNotice(undefined);
    try {
      const done = await run();
      if (done) setNotice(done);
    } catch (failure) {
      setActionError(failure);
    }
  }

  function create(event: FormEvent) {
    event.preventDefault();
    void act(async () => {
      const { temporaryPassword } = await actions.create.mutateAsync(draft);
      setDraft({ name: "", email: "", role: "member" });
      return {
        message: `${draft.email} can sign in with the temporary password ${temporaryPassword} (shown once).`,
        ...(temporaryPassword ? { secret: temporaryPassword } : {}),
      };
    });
  }

  const update = (id: string, change: UpdateMemberInput) =>
    act(async () => void (await actions.update.mutateAsync({ id, change })));
  const reset = (member: Member) =>
    act(async () => {
      const answer = await actions.resetPassword.mutateAsync(member.id);
      const password = "temporaryPassword" in answer ? answer.temporaryPassword : "";
      return {
        message: `${member.email} can now sign in with ${password} (shown once); their sessions ended.`,
        secret: password,
      };
    });

  return (
    <section aria-labelledby="members-title" className="flex flex-col gap-4">
      <div>
        <h2 id="members-title" className="text-base font-semibold">
          Members
        </h2>
        <p className="text-sm text-ink-soft">
          Viewers see the gallery; members also compose and generate; admins also manage people and budgets.
          Each person may generate {defaultBudget} claid images a day unless you set their own budget.
        </p>
      </div>
      <form
        onSubmit={create}
        className="grid grid-cols-[1fr_1fr_auto_auto] items-end gap-2"
        aria-label="Add a member"
      >
        <LabelledInput
          id="member-name"
          label="Name"
          required
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          error={fieldError(error, "name")}
        />
        <LabelledInput
          id="member-email"
          label="Email"
          type="email"
          required
          value={draft.email}
          onChange={(e) => setDraft({ ...draft, email: e.target.value })}
          error={fieldError(error, "email")}
        />
        <div className="flex flex-col gap-1">
          <label htmlFor="member-role" className="text-xs font-medium text-ink-soft">
            Role
          </label>
          <select
            id="member-role"
            className={controlClass}
            value={draft.role}
            onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}
          >
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary">
          Add
        </Button>
      </form>
      {notice ? (
        <div
          role="status"
          className="flex items-center gap-2 rounded-md border border-accent bg-accent-soft p-2 text-sm"
          data-testid="members-notice"
        >
          <p className="flex-1">{notice.message}</p>
          {notice.secret ? <CopyButton text={notice.secret} name="the temporary password" /> : null}
        </div>
      ) : null}
      {error instanceof Error && !fieldError(error, "email") && !fieldError(error, "name") ? (
        <p role="alert" className="text-sm text-danger">
          {error.message}
        </p>
      ) : null}
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-ink-soft">
          <tr>
            <th className="py-1 font-medium">Person</th>
            <th className="py-1 font-medium">Role</th>
            <th className="py-1 font-medium">Claid images a day</th>
            <th className="py-1" />
          </tr>
        </thead>
        <tbody>
          {members?.map((member) => (
            <tr
              key={member.id}
              className={`border-t border-canvas-line ${member.disabled ? "text-ink-muted" : ""}`}
            >
              <td className="py-1.5">
                {member.name} <span className="text-ink-soft">{member.email}</span>
                {member.disabled ? " (disabled)" : ""}
              </td>
              <td className="py-1.5">
                <select
                  aria-label={`Role of ${member.email}`}
                  className={controlClass}
                  value={member.role}
                  onChange={(e) => void update(member.id, { role: e.target.value as Role })}
                >
                  {ROLES.map((role) => (
                    <option key={role}>{role}</option>
                  ))}
                </select>
              </td>
              <td className="py-1.5">
                <input
                  aria-label={`Daily claid images for ${member.email}`}
                  className={`${controlClass} w-24`}
                  type="number"
                  min={0}
                  placeholder={String(defaultBudget)}
                  defaultValue={member.dailyImageBudget ?? ""}
                  onBlur={(e) => {
                    const value = e.target.value === "" ? null : Number(e.target.value);
                    if (value !== member.dailyImageBudget)
                      void update(member.id, { dailyImageBudget: value });
                  }}
                />
              </td>
              <td className="flex justify-end gap-1 py-1.5">
                <Button size="sm" onClick={() => reset(member)}>
                  Reset password
                </Button>
                {member.id === selfId ? null : (
                  <Button
                    size="sm"
                    variant={member.disabled ? "secondary" : "danger"}
                    onClick={() => void update(member.id, { disabled: !member.disabled })}
                  >
                    {member.disabled ? "Enable" : "Disable"}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
