"use client";

import { useEffect, useMemo, useState } from "react";

import type { Validation } from "@/lib/composer/validation";
import type { SceneCreateRequest } from "@/lib/scene/contract";

type Validate = (body: unknown) => Validation;

/**
 * The composed request checked against the shared contract. The validator loads after the first
 * paint; until it has, the request counts as not yet valid and shows no messages.
 */
export function useValidation(request: SceneCreateRequest): Validation {
  const [validate, setValidate] = useState<Validate>();
  useEffect(() => {
    let live = true;
    void import("@/lib/composer/validation").then((module) => {
      if (live) setValidate(() => module.validateRequest);
    });
    return () => {
      live = false;
    };
  }, []);
  return useMemo(() => (validate ? validate(request) : { ok: false, errors: {} }), [validate, request]);
}
