import type { DossierSummary } from "../../core";
import { countLabel, formatDateTime, statusLabel } from "../shared/format";

export function DossierList({ dossiers }: { dossiers: DossierSummary[] }) {
  if (dossiers.length === 0) {
    return (
      <div className="empty">
        <p className="empty__title">Aucun dossier pour l'instant.</p>
        <p className="empty__hint">Les procédures importées apparaîtront ici.</p>
      </div>
    );
  }
  return (
    <table className="dossiers">
      <caption className="visually-hidden">Liste des dossiers</caption>
      <thead>
        <tr>
          <th scope="col" className="dossiers__number">
            N°
          </th>
          <th scope="col">Intitulé</th>
          <th scope="col">Statut</th>
          <th scope="col">Documents</th>
          <th scope="col">Créé le</th>
        </tr>
      </thead>
      <tbody>
        {dossiers.map((dossier) => (
          <tr key={dossier.id} data-dossier={dossier.id}>
            <td className="dossiers__number">{dossier.id}</td>
            <td className="dossiers__title">{dossier.title}</td>
            <td>
              <span className={`status status--${dossier.status}`}>{statusLabel(dossier.status)}</span>
            </td>
            <td>{countLabel(dossier.documents, "document", "documents", "aucun document")}</td>
            <td>
              <time dateTime={dossier.created}>{formatDateTime(dossier.created)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
