export function AppHeader() {
  return (
    <header className="header">
      <div className="header__brand">
        <span className="header__logo" aria-hidden="true">
          P
        </span>
        <div>
          <p className="header__name">Permanence</p>
          <p className="header__tagline">Parquet · lecture et suivi des procédures</p>
        </div>
      </div>
      <p className="header__offline" title="Aucune donnée ne quitte cet ordinateur.">
        Hors ligne
      </p>
    </header>
  );
}
