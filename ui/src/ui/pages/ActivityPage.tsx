import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { SegmentedControl } from "@codegouvfr/react-dsfr/SegmentedControl";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import type { Figures, Filter, SavedFile, WireError } from "../../core";
import { familyLabel, orientationLabel, useAppInfo } from "../AppInfoContext";
import { BarChart } from "../components/BarChart";
import { useCore } from "../CoreContext";
import { ErrorBanner } from "../components/ErrorBanner";
import { FilterSelect } from "../components/FilterSelect";
import { formatDay, formatNumber, quoted } from "../shared/format";

type State = { kind: "loading" } | { kind: "loaded"; figures: Figures } | { kind: "failed"; error: WireError };

type Period = "jour" | "semaine" | "mois";

/** DSFR colours: bleu France, succès and warning. */
const BLUE = "#000091";
const GREEN = "#18753c";
const ORANGE = "#b34000";

/** « 2026-W47 » → « semaine 47 de 2026 »; « 2026-11 » → « novembre 2026 »; a day in words. */
export function periodLabel(key: string, period: Period): string {
  if (period === "semaine") {
    const m = /^(\d{4})-W(\d{2})$/.exec(key);
    return m ? `semaine ${Number(m[2])} de ${m[1]}` : key;
  }
  if (period === "mois") {
    const m = /^(\d{4})-(\d{2})$/.exec(key);
    if (!m) return key;
    const day = formatDay(`${m[1]}-${m[2]}-02`);
    return day.replace(/^2\u00a0/, "");
  }
  return formatDay(key);
}

/** Hours as « 3 h 20 » or « 2 j 4 h ». */
export function durationLabel(hours: number | null): string {
  if (hours === null) return "—";
  const minutes = Math.round(hours * 60);
  const days = Math.floor(minutes / (24 * 60));
  const h = Math.floor((minutes % (24 * 60)) / 60);
  const m = minutes % 60;
  if (days > 0) return `${days}\u00a0j ${h}\u00a0h`;
  return h > 0 ? `${h}\u00a0h ${String(m).padStart(2, "0")}` : `${m}\u00a0min`;
}

function percent(share: number): string {
  return `${formatNumber(share * 100, 0)}\u00a0%`;
}

type Datum = { key: string; label: string; value: number };

function series(map: Record<string, number | undefined>, label: (key: string) => string): Datum[] {
  return Object.entries(map).map(([key, value]) => ({ key, label: label(key), value: value ?? 0 }));
}

/** A bar chart with its figures as a table beside it (read by screen readers, copied by hand). */
function Chart({
  id,
  title,
  data,
  horizontal = false,
  unit = "dossier(s)",
}: {
  id: string;
  title: string;
  data: Datum[];
  horizontal?: boolean;
  /** What the bars count, in the tooltip. */
  unit?: string;
}) {
  const height = horizontal ? Math.max(160, 36 * data.length + 40) : 260;
  return (
    <figure className="chart" aria-labelledby={`${id}-title`} data-chart={id}>
      <figcaption id={`${id}-title`} className="fr-h6 fr-mb-1w">
        {title}
      </figcaption>
      {data.length === 0 ? (
        <p className="facts__empty">Aucune donnée sur la période.</p>
      ) : (
        <>
          <BarChart
            labels={data.map((d) => d.label)}
            series={[{ label: unit, values: data.map((d) => d.value), colour: BLUE }]}
            horizontal={horizontal}
            height={height}
          />
          <details className="chart__data">
            <summary>Voir les chiffres</summary>
            <table className="chart__table">
              <caption className="fr-sr-only">{title}</caption>
              <tbody>
                {data.map((d) => (
                  <tr key={d.key}>
                    <th scope="row">{d.label}</th>
                    <td>{d.value.toLocaleString("fr-FR")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}

export function ActivityPage() {
  const { activity, desktop } = useCore();
  const info = useAppInfo();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [family, setFamily] = useState("");
  const [period, setPeriod] = useState<Period>("jour");
  const [state, setState] = useState<State>({ kind: "loading" });
  const [decimalComma, setDecimalComma] = useState(true);
  const [saved, setSaved] = useState<SavedFile | null>(null);
  const [saveFailure, setSaveFailure] = useState<WireError | null>(null);
  const latest = useRef(0);

  const filter: Filter = useMemo(
    () => ({ from: from === "" ? null : from, to: to === "" ? null : to, family: family === "" ? null : family }),
    [from, to, family],
  );

  const load = useCallback(async () => {
    const request = ++latest.current;
    const result = await activity.figures(filter);
    if (request !== latest.current) return;
    setState(result.ok ? { kind: "loaded", figures: result.value } : { kind: "failed", error: result.error });
  }, [activity, filter]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = async (pseudonymised: boolean) => {
    setSaved(null);
    setSaveFailure(null);
    const stamp = new Date().toISOString().slice(0, 10);
    const chosen = await desktop.pickCsvDestination(
      pseudonymised ? `permanence-dossiers-pseudonymises-${stamp}.csv` : `permanence-chiffres-${stamp}.csv`,
    );
    if (!chosen.ok) {
      setSaveFailure(chosen.error);
      return;
    }
    if (chosen.value === null) return;
    const result = await activity.save(filter, pseudonymised, decimalComma, chosen.value);
    if (result.ok) setSaved(result.value);
    else setSaveFailure(result.error);
  };

  const f = state.kind === "loaded" ? state.figures : null;
  const received = f
    ? series(period === "jour" ? f.per_day : period === "semaine" ? f.per_week : f.per_month, (k) =>
        periodLabel(k, period),
      )
    : [];
  const rules = f
    ? f.per_rule.map((r) => ({ key: r.rule, label: r.rule, accepted: r.accepted, changed: r.changed, share: r.changed_share }))
    : [];

  return (
    <section className="page activity" aria-labelledby="activity-title" aria-busy={state.kind === "loading"}>
      <div className="page__heading">
        <h1 id="activity-title">Activité</h1>
        {f && <p className="page__count">{f.dossiers.toLocaleString("fr-FR")} dossiers sur la période</p>}
      </div>
      <p className="page__lead">
        Les chiffres du parquet, tirés des dossiers enregistrés sur ce poste{"\u00a0"}: rien n'est saisi deux fois.
      </p>
      <form className="filters" aria-label="Période et infraction" onSubmit={(e) => e.preventDefault()}>
        <Input
          className="filters__select"
          label="Reçus à partir du"
          nativeInputProps={{ type: "date", value: from, onChange: (e) => setFrom(e.target.value) }}
        />
        <Input
          className="filters__select"
          label="Jusqu'au"
          nativeInputProps={{ type: "date", value: to, onChange: (e) => setTo(e.target.value) }}
        />
        <FilterSelect
          label="Infraction"
          all="Toutes les infractions"
          choices={info?.families ?? []}
          value={family}
          onChange={setFamily}
        />
      </form>
      {state.kind === "loading" && <p className="loading">Calcul des chiffres…</p>}
      {state.kind === "failed" && <ErrorBanner error={state.error} onRetry={() => void load()} />}
      {f && (
        <>
          <ul className="key-figures" aria-label="Chiffres clés">
            <li>
              <span className="key-figures__value">{f.dossiers.toLocaleString("fr-FR")}</span>
              <span className="key-figures__label">dossiers reçus</span>
            </li>
            <li>
              <span className="key-figures__value">{f.decided.toLocaleString("fr-FR")}</span>
              <span className="key-figures__label">décisions validées</span>
            </li>
            <li>
              <span className="key-figures__value">{f.decided > 0 ? percent(f.accepted_share) : "—"}</span>
              <span className="key-figures__label">propositions acceptées telles quelles</span>
            </li>
            <li>
              <span className="key-figures__value">{durationLabel(f.decision_hours_median)}</span>
              <span className="key-figures__label">de l'import à la décision (médiane)</span>
            </li>
            <li>
              <span className="key-figures__value">{durationLabel(f.decision_hours_p90)}</span>
              <span className="key-figures__label">pour 90 % des dossiers</span>
            </li>
          </ul>

          <div className="activity__grid">
            <div className="activity__wide">
              <SegmentedControl
                small
                legend="Dossiers reçus par"
                segments={[
                  { label: "Jour", nativeInputProps: { checked: period === "jour", onChange: () => setPeriod("jour") } },
                  {
                    label: "Semaine",
                    nativeInputProps: { checked: period === "semaine", onChange: () => setPeriod("semaine") },
                  },
                  { label: "Mois", nativeInputProps: { checked: period === "mois", onChange: () => setPeriod("mois") } },
                ]}
              />
              <Chart
                id="recus"
                title={`Dossiers reçus par ${period}`}
                data={received}
                />
            </div>
            <Chart
              id="familles"
              title="Par infraction"
              data={series(f.per_family, (k) => familyLabel(info, k))}
              horizontal
            />
            <Chart
              id="orientations"
              title="Orientations décidées"
              data={series(f.per_orientation, (k) => orientationLabel(info, k))}
              horizontal
            />
            <Chart
              id="alcool"
              title="Taux d'alcool retenus (mg par litre d'air expiré)"
              data={series(f.alcohol_bands, (k) => k)}
            />
            <Chart
              id="natinf"
              title="Par code NATINF"
              data={series(f.per_natinf, (k) => `NATINF ${k}`)
                .sort((a, b) => b.value - a.value)
                .slice(0, 12)}
              horizontal
            />
            <figure className="chart activity__wide" aria-labelledby="regles-title" data-chart="regles">
              <figcaption id="regles-title" className="fr-h6 fr-mb-1w">
                Propositions acceptées ou modifiées, par règle de la politique pénale
              </figcaption>
              {rules.length === 0 ? (
                <p className="facts__empty">Aucune décision sur la période.</p>
              ) : (
                <>
                  <BarChart
                    labels={rules.map((r) => r.label)}
                    series={[
                      { label: "acceptées telles quelles", values: rules.map((r) => r.accepted), colour: GREEN },
                      { label: "modifiées", values: rules.map((r) => r.changed), colour: ORANGE },
                    ]}
                    horizontal
                    stacked
                    height={Math.max(160, 36 * rules.length + 60)}
                  />
                  <table className="chart__table">
                    <caption className="fr-sr-only">Propositions acceptées ou modifiées, par règle</caption>
                    <thead>
                      <tr>
                        <th scope="col">Règle</th>
                        <th scope="col">Acceptées</th>
                        <th scope="col">Modifiées</th>
                        <th scope="col">Part modifiée</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rules.map((r) => (
                        <tr key={r.key}>
                          <th scope="row">{r.label}</th>
                          <td>{r.accepted.toLocaleString("fr-FR")}</td>
                          <td>{r.changed.toLocaleString("fr-FR")}</td>
                          <td>{percent(r.share)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </figure>
          </div>

          <section className="activity__export fr-mt-4w" aria-labelledby="export-title">
            <h2 id="export-title" className="fr-h5">
              Exporter
            </h2>
            <p className="fr-text--sm">
              Fichiers CSV pour un tableur (UTF-8, séparateur point-virgule). La liste pseudonymisée ne contient ni nom, ni
              date de naissance, ni immatriculation, ni texte libre{"\u00a0"}: elle peut sortir du poste.
            </p>
            <Checkbox
              small
              options={[
                {
                  label: "Virgule décimale (tableur en français)",
                  nativeInputProps: { checked: decimalComma, onChange: (e) => setDecimalComma(e.target.checked) },
                },
              ]}
            />
            <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left">
              <li>
                <Button priority="secondary" iconId="fr-icon-download-line" onClick={() => void save(false)}>
                  Exporter les chiffres
                </Button>
              </li>
              <li>
                <Button priority="secondary" iconId="fr-icon-download-line" onClick={() => void save(true)}>
                  Exporter la liste pseudonymisée
                </Button>
              </li>
            </ul>
            {saved && (
              <Alert
                severity="success"
                small
                role="status"
                description={`Fichier enregistré${"\u00a0"}: ${quoted(saved.file)}.`}
              />
            )}
            {saveFailure && <ErrorBanner error={saveFailure} level={3} />}
          </section>
        </>
      )}
    </section>
  );
}
