import "server-only";

export { ApiError, fieldErrors, isApiError } from "./api-error";
export {
  apiError,
  errors,
  rateLimitHeaders,
  relayed,
  statusOf,
  type ErrorCode,
  type RateLimitState,
} from "./catalog";
