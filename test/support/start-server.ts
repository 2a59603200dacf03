// Runs the server's start-up sequence alone, as `instrumentation.ts` does inside Next.
import { startServer } from "../../lib/server/startup";

void startServer();
