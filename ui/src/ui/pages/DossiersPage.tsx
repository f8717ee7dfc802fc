import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import type { Dossiers, DossierRows, ListQuery, WireError } from "../../core";
import { dossierQuery } from "../../core";
import { useAppInfo } from "../AppInfoContext";
import { useCore } from "../CoreContext";
import { DossierList } from "../components/DossierList";
import { ErrorBanner } from "../components/ErrorBanner";
import { FilterSelect } from "../components/FilterSelect";
import { ImportPanel } from "../components/ImportPanel";
import { useImports } from "../ImportsContext";
import { countLabel } from "../shared/format";
import { STATUSES } from "../shared/labels";

type State =
  | { kind: "loading" }
  | { kind: "loaded"; page: DossierRows; query: ListQuery }
  | { kind: "failed"; error: WireError };

type Sort = "recent" | "ancien";

/** Lines per page of the list: the engine pages, so 50,000 dossiers answer as fast as 50. */
export const PAGE_SIZE = 50;

/** The engine's query for what the filters say. */
export function listQuery({
  text,
  status,
  family,
  sort,
  page,
}: {
  text: string;
  status: string;
  family: string;
  sort: Sort;
  page: number;
}): ListQuery {
  return dossierQuery({
    status: status === "" ? null : status,
    family: family === "" ? null : family,
    title: text.trim() === "" ? null : text.trim(),
    oldest_first: sort === "ancien",
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
}

/** Waits until the user stops typing before asking again. */
function useSettled(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (value === "") {
      setSettled(value);
      return;
    }
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
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
  const [page, setPage] = useState(1);
  const words = useSettled(text, 200);
  // Only the latest request may update the page (a retry can overtake a slow first load).
  const latest = useRef(0);

  const query = useMemo(
    () => listQuery({ text: words, status, family, sort, page }),
    [words, status, family, sort, page],
  );

  const load = useCallback(async () => {
    const request = ++latest.current;
    const result = await dossiers.list(query);
    if (request === latest.current) {
      setState(result.ok ? { kind: "loaded", page: result.value, query } : { kind: "failed", error: result.error });
    }
  }, [dossiers, query]);

  useEffect(() => {
    void load();
  }, [load, version]);

  // A filter changed: back to the first page.
  useEffect(() => setPage(1), [words, status, family, sort]);

  // Marks when the list is first on screen (measured at launch, tests/e2e/measure.sh).
  const listed = state.kind === "loaded";
  useEffect(() => {
    if (listed && performance.getEntriesByName("permanence:list-ready").length === 0) {
      performance.mark("permanence:list-ready");
    }
  }, [listed]);

  const filtered = text.trim() !== "" || status !== "" || family !== "";
  const total = state.kind === "loaded" ? state.page.total : 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const everything = useTotal(dossiers, version);
  const first = (page - 1) * PAGE_SIZE + 1;

  return (
    <section className="page" aria-labelledby="dossiers-title" aria-busy={state.kind === "loading"}>
      <div className="page__heading">
        <h1 id="dossiers-title">Dossiers</h1>
        {state.kind === "loaded" && (everything ?? total) > 0 && (
          <p className="page__count">
            {filtered && everything !== null
              ? `${countLabel(total, "dossier", "dossiers", "aucun dossier")} sur ${everything.toLocaleString("fr-FR")}`
              : countLabel(total, "dossier", "dossiers", "aucun dossier")}
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
            <FilterSelect
              label="Statut"
              all="Tous les statuts"
              choices={info?.statuses ?? STATUSES}
              value={status}
              onChange={setStatus}
            />
            <FilterSelect
              label="Infraction"
              all="Toutes les infractions"
              choices={info?.families ?? []}
              value={family}
              onChange={setFamily}
            />
            <Select
              className="filters__select"
              label="Ordre"
              nativeSelectProps={{ value: sort, onChange: (e) => setSort(e.target.value as Sort) }}
            >
              <option value="recent">Les plus récents d'abord</option>
              <option value="ancien">Les plus anciens d'abord</option>
            </Select>
          </form>
          <DossierList dossiers={state.page.rows} filtered={filtered} />
          {pages > 1 && (
            <nav className="list-pages" aria-label="Pages de la liste">
              <p className="list-pages__where" aria-live="polite">
                Dossiers {first.toLocaleString("fr-FR")} à{" "}
                {Math.min(total, page * PAGE_SIZE).toLocaleString("fr-FR")} sur {total.toLocaleString("fr-FR")}
              </p>
              <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
                <li>
                  <Button priority="secondary" size="small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                    Page précédente
                  </Button>
                </li>
                <li>
                  <Button priority="secondary" size="small" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                    Page suivante
                  </Button>
                </li>
              </ul>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

/** How many dossiers are stored in all (for « 3 dossiers sur 500 »); null until known. */
function useTotal(dossiers: Dossiers, version: number): number | null {
  const [total, setTotal] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    void dossiers
      .list(dossierQuery({ limit: 1 }))
      .then((r) => {
        if (live && r.ok) setTotal(r.value.total);
      });
    return () => {
      live = false;
    };
  }, [dossiers, version]);
  return total;
}
