import { SearchBar } from "@codegouvfr/react-dsfr/SearchBar";
import { useEffect, useMemo, useRef, useState } from "react";

import type { DossierRow, SearchHit, WireError } from "../../core";
import { dossierQuery } from "../../core";
import { useCore } from "../CoreContext";
import { ErrorBanner } from "../components/ErrorBanner";
import { navigate, routeHref } from "../router";
import { countLabel, quoted } from "../shared/format";

const LIMIT = 50;

/** The engine's snippet (HTML-escaped text, `<mark>` around matches) as React nodes, without innerHTML. */
export function Snippet({ html }: { html: string }) {
  const parts = html.split(/(<mark>|<\/mark>)/);
  const nodes: React.ReactNode[] = [];
  let marked = false;
  parts.forEach((part, i) => {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part !== "") {
      const text = unescape(part);
      nodes.push(marked ? <mark key={i}>{text}</mark> : text);
    }
  });
  return <span className="snippet">{nodes}</span>;
}

function unescape(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&#x27;", "'")
    .replaceAll("&amp;", "&");
}

type State =
  | { kind: "idle" }
  | { kind: "searching" }
  | { kind: "done"; query: string; hits: SearchHit[] }
  | { kind: "failed"; error: WireError };

export function SearchPage({ query }: { query: string }) {
  const { search, dossiers } = useCore();
  const [text, setText] = useState(query);
  const [state, setState] = useState<State>({ kind: "idle" });
  const [titles, setTitles] = useState<Map<number, DossierRow>>(new Map());
  const input = useRef<HTMLInputElement | null>(null);
  const latest = useRef(0);

  useEffect(() => {
    setText(query);
    if (query.trim() === "") {
      setState({ kind: "idle" });
      return;
    }
    const request = ++latest.current;
    setState({ kind: "searching" });
    void search.search(query, LIMIT).then((r) => {
      if (request !== latest.current) return;
      setState(r.ok ? { kind: "done", query, hits: r.value } : { kind: "failed", error: r.error });
    });
  }, [search, query]);

  // The titles of the dossiers found (only those: the list may hold 50,000).
  const found = state.kind === "done" ? [...new Set(state.hits.map((h) => h.dossier))] : [];
  const foundKey = found.join(",");
  useEffect(() => {
    const ids = foundKey === "" ? [] : foundKey.split(",").map(Number);
    if (ids.length === 0) return;
    let live = true;
    void dossiers
      .list(dossierQuery({ ids, limit: ids.length }))
      .then((r) => {
        if (live && r.ok) setTitles(new Map(r.value.rows.map((d) => [d.id, d])));
      });
    return () => {
      live = false;
    };
  }, [dossiers, foundKey]);

  useEffect(() => {
    input.current?.focus();
  }, []);

  const byDossier = useMemo(() => {
    if (state.kind !== "done") return [];
    const groups = new Map<number, SearchHit[]>();
    for (const hit of state.hits) groups.set(hit.dossier, [...(groups.get(hit.dossier) ?? []), hit]);
    return [...groups.entries()];
  }, [state]);

  return (
    <section className="page" aria-labelledby="search-title">
      <h1 id="search-title">Recherche</h1>
      <p className="page__lead">
        Dans le texte de toutes les pièces de tous les dossiers. Les accents, les majuscules et les pluriels sont
        ignorés{"\u00a0"}; une expression entre guillemets est cherchée telle quelle.
      </p>
      <SearchBar
        big
        label="Rechercher dans les procédures"
        onButtonClick={(q) => navigate({ page: "recherche", query: q.trim() })}
        renderInput={({ className, id, placeholder, type }) => (
          <input
            ref={input}
            className={className}
            id={id}
            placeholder={placeholder}
            type={type}
            value={text}
            aria-describedby="search-help"
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                navigate({ page: "recherche", query: text.trim() });
              }
            }}
          />
        )}
      />
      <p id="search-help" className="fr-hint-text fr-mt-1w">
        Par exemple éthylomètre récidive, ou "garde à vue". Entrée lance la recherche{"\u00a0"}; chaque résultat
        s'ouvre avec Entrée.
      </p>
      <div className="fr-mt-3w" aria-live="polite">
        {state.kind === "searching" && <p className="loading">Recherche…</p>}
        {state.kind === "failed" && <ErrorBanner error={state.error} />}
        {state.kind === "done" && (
          <p className="search__count">
            {state.hits.length === 0
              ? `Aucun résultat pour ${quoted(state.query)}.`
              : `${countLabel(state.hits.length, "page trouvée", "pages trouvées", "")} pour ${quoted(state.query)}${state.hits.length === LIMIT ? " (les plus pertinentes)" : ""}.`}
          </p>
        )}
      </div>
      {byDossier.length > 0 && (
        <ol className="search__results">
          {byDossier.map(([dossier, hits]) => (
            <li key={dossier} className="search__dossier">
              <h2 className="fr-h6 fr-mb-1w">
                {titles.get(dossier)?.title ?? `Dossier n°\u00a0${dossier}`}{" "}
                <span className="search__number">n°{"\u00a0"}{dossier}</span>
              </h2>
              <ul className="search__hits">
                {hits.map((hit) => (
                  <li key={`${hit.document}-${hit.page}`}>
                    <a
                      className="search__hit"
                      href={routeHref({ page: "dossier", id: hit.dossier, document: hit.document, pageNumber: hit.page })}
                    >
                      <span className="search__page">Page {hit.page}</span>
                      <Snippet html={hit.snippet} />
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
