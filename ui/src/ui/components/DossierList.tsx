import { Badge } from "@codegouvfr/react-dsfr/Badge";

import type { Deadline, DossierRow } from "../../core";
import { familyLabel, orientationLabel, useAppInfo } from "../AppInfoContext";
import { routeHref } from "../router";
import { countLabel, formatDateTime, formatDay, formatShortDate, formatTime } from "../shared/format";
import { deadlineStateLabel, statusLabel } from "../shared/labels";

/** « Fin de garde à vue le 2 décembre à 14 h 05 (dépassée) », as a badge coloured by urgency. */
export function DeadlineBadge({ deadline }: { deadline: Deadline }) {
  const severity = deadline.state === "depassee" ? "error" : deadline.state === "proche" ? "warning" : "info";
  return (
    <Badge small severity={severity} className="deadline" data-deadline={deadline.state}>
      {deadline.label}
      {"\u00a0: "}
      {formatTime(deadline.due)} ({deadlineStateLabel(deadline.state)})
    </Badge>
  );
}



export function statusSeverity(status: string): { severity?: "info" | "success" | "new" } {
  switch (status) {
    case "recu":
      return { severity: "new" };
    case "decision_validee":
    case "actes_produits":
      return { severity: "success" };
    case "cloture":
      return {};
    default:
      return { severity: "info" };
  }
}

export function DossierList({ dossiers, filtered }: { dossiers: DossierRow[]; filtered: boolean }) {
  const info = useAppInfo();
  if (dossiers.length === 0) {
    return (
      <div className="empty">
        {filtered ? (
          <>
            <p className="empty__title">Aucun dossier ne correspond à ces critères.</p>
            <p className="empty__hint">Modifiez la recherche ou les filtres.</p>
          </>
        ) : (
          <>
            <p className="empty__title">Aucun dossier pour l'instant.</p>
            <p className="empty__hint">Les procédures importées apparaîtront ici.</p>
          </>
        )}
      </div>
    );
  }
  return (
    <div className="fr-table fr-table--no-caption dossiers-table">
      <div className="fr-table__wrapper">
        <div className="fr-table__container" tabIndex={0}>
          <div className="fr-table__content">
            <table className="dossiers">
              <caption>Liste des dossiers</caption>
              <thead>
                <tr>
                  <th scope="col" className="dossiers__number">
                    N°
                  </th>
                  <th scope="col">Dossier</th>
                  <th scope="col">Infractions</th>
                  <th scope="col">Statut</th>
                  <th scope="col">Reçu le</th>
                </tr>
              </thead>
              <tbody>
                {dossiers.map((dossier) => (
                  <tr key={dossier.id} data-dossier={dossier.id}>
                    <td className="dossiers__number">{dossier.id}</td>
                    <td className="dossiers__title">
                      <a href={routeHref({ page: "dossier", id: dossier.id, document: null, pageNumber: null })}>
                        {dossier.title}
                      </a>
                      <span className="dossiers__person">
                        {dossier.mis_en_cause ?? <span className="dossiers__none">mis en cause non relevé</span>}
                      </span>
                      <span className="dossiers__sub">
                        {dossier.facts_date ? `Faits du ${formatDay(dossier.facts_date)} · ` : ""}
                        {countLabel(dossier.documents, "document", "documents", "aucun document")}
                      </span>
                    </td>
                    <td>
                      {dossier.families.length === 0 ? (
                        <span className="dossiers__none">aucune relevée</span>
                      ) : (
                        <ul className="dossiers__families">
                          {dossier.families.map((family) => (
                            <li key={family}>{familyLabel(info, family)}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <Badge small noIcon {...statusSeverity(dossier.status)} className="status">
                        {statusLabel(dossier.status)}
                      </Badge>
                      {dossier.decided && (
                        <span className="dossiers__sub">{orientationLabel(info, dossier.decided)}</span>
                      )}
                      {dossier.deadline && <DeadlineBadge deadline={dossier.deadline} />}
                    </td>
                    <td>
                      <time dateTime={dossier.created} title={formatDateTime(dossier.created)}>
                        {formatShortDate(dossier.created)}
                      </time>
                    </td>
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
