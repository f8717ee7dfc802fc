import { useCallback, useEffect, useRef, useState } from "react";

import type { DossierSummary, WireError } from "../../core";
import { useCore } from "../CoreContext";
import { DossierList } from "../components/DossierList";
import { ErrorBanner } from "../components/ErrorBanner";
import { countLabel } from "../shared/format";

type State =
  | { kind: "loading" }
  | { kind: "loaded"; dossiers: DossierSummary[] }
  | { kind: "failed"; error: WireError };

export function DossiersPage() {
  const { dossiers } = useCore();
  const [state, setState] = useState<State>({ kind: "loading" });
  // Only the latest request may update the page (a retry can overtake a slow first load).
  const latest = useRef(0);

  const load = useCallback(async () => {
    const request = ++latest.current;
    setState({ kind: "loading" });
    const result = await dossiers.list();
    if (request === latest.current) {
      setState(result.ok ? { kind: "loaded", dossiers: result.value } : { kind: "failed", error: result.error });
    }
  }, [dossiers]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="page" aria-labelledby="dossiers-title" aria-busy={state.kind === "loading"}>
      <div className="page__heading">
        <h1 id="dossiers-title">Dossiers</h1>
        {state.kind === "loaded" && state.dossiers.length > 0 && (
          <p className="page__count">{countLabel(state.dossiers.length, "dossier", "dossiers", "aucun dossier")}</p>
        )}
      </div>
      <p className="page__lead">Les procédures reçues, de la plus récente à la plus ancienne.</p>
      {state.kind === "loading" && <p className="loading">Chargement des dossiers…</p>}
      {state.kind === "failed" && <ErrorBanner error={state.error} onRetry={() => void load()} />}
      {state.kind === "loaded" && (
        <div className="card">
          <DossierList dossiers={state.dossiers} />
        </div>
      )}
    </section>
  );
}
