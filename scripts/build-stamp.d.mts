export const BUILD_INPUTS: readonly string[];
export function buildInputsHash(root?: string): string;
export function isBuilt(root?: string): boolean;
export function markBuilt(root?: string): void;
