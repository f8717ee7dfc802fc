import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import type { DecisionRecord, DocumentFacts, DossierDetail, Evidence, Profile, Proposal, WireError } from "../../core";
import { orientationLabel, useAppInfo } from "../AppInfoContext";
import { useCore } from "../CoreContext";
import { statusSeverity } from "../components/DossierList";
import { ErrorBanner } from "../components/ErrorBanner";
import { Tabs } from "../components/Tabs";
import { ExportPanel } from "../dossier/ExportPanel";
import { factGroups } from "../dossier/facts";
import { FactsPanel } from "../dossier/FactsPanel";
import { TrackingPanel } from "../dossier/TrackingPanel";
import { OrientationPanel } from "../dossier/OrientationPanel";
import { PageViewer, type Highlight } from "../dossier/PageViewer";
import { PieceList } from "../dossier/PieceList";
import { navigate, routeHref } from "../router";
import { countLabel, formatDateTime } from "../shared/format";
import { statusLabel } from "../shared/labels";

interface Loaded {
  detail: DossierDetail;
  facts: DocumentFacts;
  proposal: Proposal;
  decisions: DecisionRecord[];
}

type State = { kind: "loading" } | { kind: "loaded"; data: Loaded } | { kind: "failed"; error: WireError };

export function DossierPage({ id, document, pageNumber }: { id: number; document: number | null; pageNumber: number | null }) {
  const { dossiers, settings } = useCore();
  const info = useAppInfo();
  const [state, setState] = useState<State>({ kind: "loading" });
  const [profile, setProfile] = useState<Profile | null>(null);
  const [tab, setTab] = useState("faits");
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const latest = useRef(0);

  const load = useCallback(async () => {
    const request = ++latest.current;
    const [detail, facts, proposal, decisions] = await Promise.all([
      dossiers.show(id),
      dossiers.facts(id),
      dossiers.propose(id),
      dossiers.decisions(id),
    ]);
    if (request !== latest.current) return;
    const failed = [detail, facts, proposal, decisions].find((r) => !r.ok);
    if (failed && !failed.ok) {
      setState({ kind: "failed", error: failed.error });
      return;
    }
    if (detail.ok && facts.ok && proposal.ok && decisions.ok) {
      setState({
        kind: "loaded",
        data: { detail: detail.value, facts: facts.value, proposal: proposal.value, decisions: decisions.value },
      });
    }
  }, [dossiers, id]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    let live = true;
    void settings.profile().then((r) => {
      if (live && r.ok) setProfile(r.value);
    });
    return () => {
      live = false;
    };
  }, [settings]);

  // Marks when the dossier's facts and proposal are on screen (measured after a drop).
  useEffect(() => {
    if (state.kind === "loaded") {
      performance.mark("permanence:dossier-ready");
      if (performance.getEntriesByName("permanence:import-start").length > 0) {
        performance.measure("permanence:drop-to-facts", "permanence:import-start", "permanence:dossier-ready");
        performance.clearMarks("permanence:import-start");
      }
    }
  }, [state.kind]);

  const data = state.kind === "loaded" ? state.data : null;
  const mainDocument = data?.facts.document ?? null;
  const shownDocument = document ?? mainDocument;
  const documentRow = data?.detail.documents_detail.find((d) => d.id === shownDocument) ?? null;
  const page = Math.min(Math.max(pageNumber ?? 1, 1), documentRow?.pages ?? 1);

  const open = useCallback(
    (doc: number, p: number, replace = true) => navigate({ page: "dossier", id, document: doc, pageNumber: p }, replace),
    [id],
  );

  const show = useCallback(
    (e: Evidence) => {
      if (mainDocument === null) return;
      setHighlight({ page: e.page, start: e.start, end: e.end, text: e.text });
      open(mainDocument, e.page);
    },
    [mainDocument, open],
  );

  const correct = useCallback(
    async (changes: { path: string; value: unknown }[], reason: string): Promise<WireError | null> => {
      for (const change of changes) {
        const result = await dossiers.correct(id, change.path, change.value, reason);
        if (!result.ok) {
          await load();
          return result.error;
        }
      }
      await load();
      return null;
    },
    [dossiers, id, load],
  );

  const decide = useCallback(
    async (orientation: string | null, reason: string): Promise<WireError | null> => {
      const result = await dossiers.decide(id, orientation, reason);
      if (!result.ok) return result.error;
      await load();
      return null;
    },
    [dossiers, id, load],
  );

  const groups = useMemo(() => (data ? factGroups(data.facts.facts, data.facts.corrections, info) : []), [data, info]);

  const title = data?.detail.title ?? `Dossier n°\u00a0${id}`;
  useEffect(() => {
    window.document.title = `${title} — Permanence`;
    return () => {
      window.document.title = "Permanence";
    };
  }, [title]);

  return (
    <section className="page dossier-page" aria-labelledby="dossier-title" aria-busy={state.kind === "loading"}>
      <p className="fr-mb-1w">
        <a className="fr-link fr-link--sm fr-icon-arrow-left-line fr-link--icon-left" href={routeHref({ page: "dossiers" })}>
          Retour aux dossiers
        </a>
      </p>
      <div className="dossier-page__heading">
        <h1 id="dossier-title" className="fr-h3 fr-mb-0">
          {title}
        </h1>
        {data && (
          <Badge small noIcon {...statusSeverity(data.detail.status)}>
            {statusLabel(data.detail.status)}
          </Badge>
        )}
      </div>
      {data && (
        <p className="dossier-page__meta fr-text--sm">
          Dossier n°{"\u00a0"}
          {data.detail.id} · reçu le {formatDateTime(data.detail.created)} ·{" "}
          {countLabel(data.detail.documents, "document", "documents", "aucun document")}
        </p>
      )}
      {state.kind === "loading" && <p className="loading">Chargement du dossier…</p>}
      {state.kind === "failed" && <ErrorBanner error={state.error} onRetry={() => void load()} />}
      {data && shownDocument !== null && documentRow && (
        <div className="dossier-grid">
          <PieceList
            documents={data.detail.documents_detail}
            document={shownDocument}
            pieces={data.facts.facts.pieces}
            factsDocument={data.facts.document}
            page={page}
            onOpen={(doc, p) => {
              setHighlight(null);
              open(doc, p);
            }}
          />
          <PageViewer
            key={shownDocument}
            document={shownDocument}
            pageCount={documentRow.pages}
            page={page}
            highlight={shownDocument === mainDocument ? highlight : null}
            onPage={(p) => open(shownDocument, p)}
          />
          <div className="dossier-side">
            <div className="proposal-summary" data-orientation={data.proposal.orientation}>
              <p className="fr-text--xs fr-mb-0 proposal-summary__kicker">
                {data.decisions.length > 0 ? "Orientation décidée" : "Orientation proposée"}
              </p>
              <p className="fr-text--lg fr-text--bold fr-mb-0 proposal-summary__label">
                {data.decisions.length > 0
                  ? orientationLabel(info, data.decisions[data.decisions.length - 1]?.orientation ?? "")
                  : data.proposal.orientation_label}
              </p>
              {tab !== "orientation" && (
                <button type="button" className="fr-link fr-link--sm" onClick={() => setTab("orientation")}>
                  {data.decisions.length > 0 ? "Voir la décision et ses raisons" : "Voir pourquoi et décider"}
                </button>
              )}
            </div>
            <Tabs
              label="Dossier"
              selected={tab}
              onSelect={setTab}
              tabs={[
                {
                  id: "faits",
                  label: "Faits",
                  content: <FactsPanel groups={groups} onShow={show} onCorrect={correct} />,
                },
                {
                  id: "orientation",
                  label: "Orientation",
                  content: (
                    <>
                      <OrientationPanel
                        proposal={data.proposal}
                        decisions={data.decisions}
                        profile={profile}
                        onShow={show}
                        onDecide={decide}
                      />
                      <ExportPanel dossier={id} onExported={() => void load()} />
                    </>
                  ),
                },
                {
                  id: "suivi",
                  label: "Suivi",
                  content: (
                    <TrackingPanel dossier={id} status={data.detail.status} refresh={data} onChanged={load} />
                  ),
                },
              ]}
            />
          </div>
        </div>
      )}
    </section>
  );
}
