/** The members and tokens API from the browser, each answer checked against the shared schemas. */
import {
  createdMember,
  createdToken,
  memberAnswer,
  memberList,
  passwordReset,
  tokenList,
  type CreateMemberInput,
  type CreateTokenInput,
  type Member,
  type TokenSummary,
  type UpdateMemberInput,
} from "@/lib/scene/team";

import { request, send } from "./request";

const memberHref = (id: string) => `/api/members/${encodeURIComponent(id)}`;

export async function fetchMembers(): Promise<Member[]> {
  return (await request("/api/members", memberList)).members;
}

export function createMember(input: CreateMemberInput) {
  return request("/api/members", createdMember, { json: input });
}

export async function updateMember(id: string, change: UpdateMemberInput): Promise<Member> {
  return (await request(memberHref(id), memberAnswer, { method: "PATCH", json: change })).member;
}

/** A new temporary password for someone (their sessions end). */
export function resetPassword(id: string) {
  return request(`${memberHref(id)}/password`, passwordReset, { method: "POST" });
}

export async function fetchTokens(): Promise<TokenSummary[]> {
  return (await request("/api/tokens", tokenList)).tokens;
}

export function createToken(input: CreateTokenInput) {
  return request("/api/tokens", createdToken, { json: input });
}

export function revokeToken(id: string): Promise<void> {
  return send(`/api/tokens/${encodeURIComponent(id)}`, { method: "DELETE" });
}
