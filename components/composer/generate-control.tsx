"use client";

import { useEffect } from "react";

import { QueryProvider } from "@/lib/client/query-provider";
import { useEngines } from "@/lib/client/use-engines";
import { useStartGeneration } from "@/lib/client/use-start-generation";

import { useComposer } from "./composer-context";
import { engineToUse, GeneratePanel } from "./generate-panel";

type Props = { onStarted: (id: string) => void };

/** The Generate panel with its data: the engines the server offers, and starting a generation. */
export default function GenerateControl(props: Props) {
  return (
    <QueryProvider>
      <GenerateWithData {...props} />
    </QueryProvider>
  );
}

function GenerateWithData({ onStarted }: Props) {
  const { state, dispatch, request } = useComposer();
  const engines = useEngines();
  const engine = engineToUse(state.engine, engines.data);
  const claid = engines.data?.available.claid ?? false;

  // A saved choice of Claid on a server without it goes back to drafts.
  useEffect(() => {
    if (state.engine === "claid" && engines.data && !claid) dispatch({ type: "setEngine", engine: "local" });
  }, [state.engine, engines.data, claid, dispatch]);

  const start = useStartGeneration((generation) => onStarted(generation.id));
  return (
    <GeneratePanel
      engines={engines.data}
      starting={start.isPending}
      error={start.error}
      onGenerate={() => start.mutate({ request, engine })}
    />
  );
}
