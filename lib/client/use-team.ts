"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { CreateMemberInput, Member, TokenSummary, UpdateMemberInput } from "@/lib/scene/team";

import { queryKeys } from "./query-keys";
import {
  createMember,
  createToken,
  fetchMembers,
  fetchTokens,
  resetPassword,
  revokeToken,
  updateMember,
} from "./team";

/** Everyone with an account, starting from what the page was rendered with. */
export function useMembers(initial: Member[]) {
  return useQuery({ queryKey: queryKeys.members(), queryFn: fetchMembers, initialData: initial });
}

/** Adding, changing and resetting people; each resolves once the list shows the change. */
export function useMemberActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.members() });
  return {
    create: useMutation({
      mutationFn: (input: CreateMemberInput) => createMember(input),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, change }: { id: string; change: UpdateMemberInput }) => updateMember(id, change),
      onSuccess: refresh,
    }),
    resetPassword: useMutation({ mutationFn: (id: string) => resetPassword(id), onSuccess: refresh }),
  };
}

/** The signed-in person's tokens, starting from what the page was rendered with. */
export function useTokens(initial: TokenSummary[]) {
  return useQuery({ queryKey: queryKeys.tokens(), queryFn: fetchTokens, initialData: initial });
}

/** Creating and revoking tokens; each resolves once the list shows the change. */
export function useTokenActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.tokens() });
  return {
    create: useMutation({ mutationFn: (name: string) => createToken({ name }), onSuccess: refresh }),
    revoke: useMutation({ mutationFn: (id: string) => revokeToken(id), onSuccess: refresh }),
  };
}
