import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useCallback, useEffect, useState } from "react";

import type { ActivePolicy, PolicyCheck, PolicyRow, PolicyRule, WireError } from "../../core";
import { useCore } from "../CoreContext";
import { ErrorBanner } from "../components/ErrorBanner";
import { formatDateTime, formatDay, frenchSpacing, quoted } from "../shared/format";

function RulesTable({ rules, caption }: { rules: PolicyRule[]; caption: string }) {
  return (
    <div className="fr-table fr-table--sm">
      <div className="fr-table__wrapper">
        <div className="fr-table__container" tabIndex={0}>
          <div className="fr-table__content">
            <table>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">Règle</th>
                  <th scope="col">Orientation</th>
                  <th scope="col">Quand</th>
                  <th scope="col">Fondement</th>
                </tr>
              </thead>
              <tbody>
                {rules.map((r) => (
                  <tr key={r.id}>
                    <td className="policy__rule-id">{r.id}</td>
                    <td>{r.orientation_label}</td>
                    <td>{frenchSpacing(r.explanation)}</td>
                    <td>{r.legal_basis ? frenchSpacing(r.legal_basis) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

function CheckResult({ check, onKeep, keeping }: { check: PolicyCheck; onKeep: () => void; keeping: boolean }) {
  if (!check.valid) {
    return (
      <Alert
        severity="error"
        as="h2"
        className="fr-mb-3w policy-errors"
        title={`La politique ${quoted(check.file)} contient ${check.problems.length > 1 ? `${check.problems.length}\u00a0erreurs` : "une erreur"}`}
        description={
          <>
            <p className="fr-mb-1w">Elle n'a pas été enregistrée{"\u00a0"}; la politique active reste la même. Corrigez le fichier puis chargez-le à nouveau.</p>
            <ul className="policy-errors__list">
              {check.problems.map((p, i) => (
                <li key={i}>
                  {p.line !== null && (
                    <strong>
                      Ligne {p.line}
                      {p.column !== null ? `, colonne ${p.column}` : ""}
                      {"\u00a0"}:{" "}
                    </strong>
                  )}
                  {frenchSpacing(p.message)}
                  <span className="error-technical"> ({p.code})</span>
                </li>
              ))}
            </ul>
          </>
        }
      />
    );
  }
  return (
    <div className="policy-check fr-mb-3w">
      <Alert
        severity="success"
        role="status"
        as="h2"
        title={`La politique ${quoted(check.name ?? check.file)} est valable`}
        description={`Version ${check.version ?? "?"}, ${check.rules.length}\u00a0règles. Vérifiez-les ci-dessous avant de l'activer.`}
      />
      <RulesTable rules={check.rules} caption="Règles de la politique chargée" />
      <Button onClick={onKeep} disabled={keeping} iconId="fr-icon-check-line">
        {keeping ? "Enregistrement…" : "Enregistrer et activer cette politique"}
      </Button>
    </div>
  );
}

export function PolicyPage() {
  const { policies, desktop } = useCore();
  const [active, setActive] = useState<ActivePolicy | null>(null);
  const [stored, setStored] = useState<PolicyRow[]>([]);
  const [error, setError] = useState<WireError | null>(null);
  const [check, setCheck] = useState<{ path: string; result: PolicyCheck } | null>(null);
  const [keeping, setKeeping] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [a, list] = await Promise.all([policies.active(), policies.list()]);
    if (!a.ok) setError(a.error);
    else setActive(a.value);
    if (list.ok) setStored(list.value);
  }, [policies]);

  useEffect(() => {
    void load();
  }, [load]);

  const choose = async () => {
    setNotice(null);
    setError(null);
    const picked = await desktop.pickPolicy();
    if (!picked.ok) {
      setError(picked.error);
      return;
    }
    if (picked.value === null) return;
    const path = picked.value;
    const result = await policies.check(path);
    if (!result.ok) setError(result.error);
    else setCheck({ path, result: result.value });
  };

  const keep = async () => {
    if (!check) return;
    setKeeping(true);
    const result = await policies.add(check.path, true);
    setKeeping(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setCheck(null);
    setNotice(`La politique ${quoted(result.value.name)}, version ${result.value.version}, est maintenant active.`);
    await load();
  };

  const activate = async (row: PolicyRow) => {
    setError(null);
    const result = await policies.activate(row.id);
    if (!result.ok) setError(result.error);
    else {
      setNotice(`La politique ${quoted(row.name)}, version ${row.version}, est maintenant active.`);
      await load();
    }
  };

  return (
    <section className="page" aria-labelledby="policy-title">
      <h1 id="policy-title">Politique pénale</h1>
      <p className="page__lead">
        Les critères d'orientation fixés par le parquet. Chaque proposition d'orientation les applique et dit quelles
        règles ont joué.
      </p>
      {error && <ErrorBanner error={error} />}
      {notice && <Alert severity="success" role="status" small className="fr-mb-2w" description={notice} />}

      <div className="policy__load fr-mb-4w">
        <Button iconId="fr-icon-upload-2-line" priority="secondary" onClick={() => void choose()}>
          Charger une autre politique…
        </Button>
        <p className="fr-hint-text fr-mt-1w">
          Un fichier TOML (exemple commenté{"\u00a0"}: politique-routiere.toml). Il est vérifié avant d'être enregistré{"\u00a0"};
          chaque erreur est signalée avec sa ligne.
        </p>
      </div>
      {check && <CheckResult check={check.result} onKeep={() => void keep()} keeping={keeping} />}

      {active && (
        <section aria-labelledby="active-title" className="fr-mb-4w">
          <h2 id="active-title" className="fr-h4">
            Politique active{"\u00a0"}: {active.name}{" "}
            {active.stored === null && (
              <Badge small severity="info" noIcon as="span">
                Exemple fourni
              </Badge>
            )}
          </h2>
          <dl className="policy__meta">
            <div>
              <dt>Version</dt>
              <dd>{active.version}</dd>
            </div>
            <div>
              <dt>Auteur</dt>
              <dd>{active.author || "—"}</dd>
            </div>
            <div>
              <dt>Applicable depuis le</dt>
              <dd>{active.effective ? formatDay(active.effective) : "—"}</dd>
            </div>
            <div>
              <dt>Fichier</dt>
              <dd>{active.file}</dd>
            </div>
          </dl>
          <RulesTable rules={active.rules} caption={`Règles de la politique active (${active.rules.length})`} />
          <details className="policy__source">
            <summary>Voir le fichier de la politique</summary>
            <pre>{active.source}</pre>
          </details>
        </section>
      )}

      {stored.length > 0 && (
        <section aria-labelledby="stored-title">
          <h2 id="stored-title" className="fr-h5">
            Politiques enregistrées
          </h2>
          <ul className="policy__stored">
            {stored.map((row) => (
              <li key={row.id}>
                <span>
                  <strong>{row.name}</strong>, version {row.version} — enregistrée le {formatDateTime(row.added)}
                </span>
                {row.active ? (
                  <Badge small severity="success" noIcon>
                    Active
                  </Badge>
                ) : (
                  <Button size="small" priority="tertiary" onClick={() => void activate(row)}>
                    Activer
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
