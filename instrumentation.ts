/**
 * Runs once when the server starts: a wrong configuration stops it with a message naming the variable,
 * before any request is served.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/server/startup");
  await startServer();
}
