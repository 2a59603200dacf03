import "server-only";
// Modules with start-up work import themselves here so `startServer` registers them in order.
import "./jobs/startup";

export {};
