import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import type { DossierRow, WireError } from "../../core";
import { useAppInfo } from "../AppInfoContext";
import { useCore } from "../CoreContext";
import { DossierList } from "../components/DossierList";
import { ErrorBanner } from "../components/ErrorBanner";
import { ImportPanel } from "../components/ImportPanel";
import { useImports } from "../ImportsContext";
import { countLabel } from "../shared/format";
import { STATUSES } from "../shared/labels";

type State =
  | { kind: "loading" }
  | { kind: "loaded"; dossiers: DossierRow[] }
  | { kind: "failed"; error: WireError };

type Sort = "recent" | "ancien";

/** Lower case without accents, for matching what the user types. */
function folded(text: string): string {
  return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLocaleLowerCase("fr-FR");
}

export function filterDossiers(
  dossiers: DossierRow[],
  { text, status, family, sort }: { text: string; status: string; family: string; sort: Sort },
): DossierRow[] {
  const words = folded(text).split(/\s+/).filter((w) => w !== "");
  const kept = dossiers.filter((d) => {
    if (status !== "" && d.status !== status) return false;
    if (family !== "" && !d.families.includes(family)) return false;
    if (words.length === 0) return true;
    const haystack = folded(`${d.id} ${d.title} ${d.mis_en_cause ?? ""}`);
    return words.every((w) => haystack.includes(w));
  });
  const order = sort === "recent" ? -1 : 1;
  return kept.sort((a, b) => (a.created === b.created ? (a.id - b.id) * order : a.created < b.created ? -order : order));
}

export function DossiersPage() {
  const { dossiers } = useCore();
  const { version } = useImports();
  const info = useAppInfo();
  const [state, setState] = useState<State>({ kind: "loading" });
  const [text, setText] = useState("");
  const [status, setStatus] = useState("");
  const [family, setFamily] = useState("");
  const [sort, setSort] = useState<Sort>("recent");
  // Only the latest request may update the page (a retry can overtake a slow first load).
  const latest = useRef(0);

  const load = useCallback(async () => {
    const request = ++latest.current;
    const result = await dossiers.list();
    if (request === latest.current) {
      setState(result.ok ? { kind: "loaded", dossiers: result.value } : { kind: "failed", error: result.error });
    }
  }, [dossiers]);

  useEffect(() => {
    void load();
  }, [load, version]);

  // Marks when the list is first on screen (measured at launch, tests/e2e/measure.sh).
  const listed = state.kind === "loaded";
  useEffect(() => {
    if (listed && performance.getEntriesByName("permanence:list-ready").length === 0) {
      performance.mark("permanence:list-ready");
    }
  }, [listed]);

  const shown = useMemo(
    () => (state.kind === "loaded" ? filterDossiers(state.dossiers, { text, status, family, sort }) : []),
    [state, text, status, family, sort],
  );
  const filtered = text.trim() !== "" || status !== "" || family !== "";

  return (
    <section className="page" aria-labelledby="dossiers-title" aria-busy={state.kind === "loading"}>
      <div className="page__heading">
        <h1 id="dossiers-title">Dossiers</h1>
        {state.kind === "loaded" && state.dossiers.length > 0 && (
          <p className="page__count">
            {filtered
              ? `${countLabel(shown.length, "dossier", "dossiers", "aucun dossier")} sur ${state.dossiers.length.toLocaleString("fr-FR")}`
              : countLabel(state.dossiers.length, "dossier", "dossiers", "aucun dossier")}
          </p>
        )}
      </div>
      <p className="page__lead">Les procédures reçues, leurs infractions et où en est leur orientation.</p>
      <ImportPanel />
      {state.kind === "loading" && <p className="loading">Chargement des dossiers…</p>}
      {state.kind === "failed" && <ErrorBanner error={state.error} onRetry={() => void load()} />}
      {state.kind === "loaded" && (
        <>
          <form className="filters" role="search" aria-label="Filtrer les dossiers" onSubmit={(e) => e.preventDefault()}>
            <Input
              className="filters__text"
              label="Numéro, intitulé ou mis en cause"
              nativeInputProps={{ type: "search", value: text, onChange: (e) => setText(e.target.value) }}
            />
            <Select
              className="filters__select"
              label="Statut"
              nativeSelectProps={{ value: status, onChange: (e) => setStatus(e.target.value) }}
            >
              <option value="">Tous les statuts</option>
              {STATUSES.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </Select>
            <Select
              className="filters__select"
              label="Infraction"
              nativeSelectProps={{ value: family, onChange: (e) => setFamily(e.target.value) }}
            >
              <option value="">Toutes les infractions</option>
              {(info?.families ?? []).map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </Select>
            <Select
              className="filters__select"
              label="Ordre"
              nativeSelectProps={{ value: sort, onChange: (e) => setSort(e.target.value as Sort) }}
            >
              <option value="recent">Les plus récents d'abord</option>
              <option value="ancien">Les plus anciens d'abord</option>
            </Select>
          </form>
          <DossierList dossiers={shown} filtered={filtered} />
        </>
      )}
    </section>
  );
}
