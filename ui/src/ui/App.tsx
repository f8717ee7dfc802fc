import { Header } from "@codegouvfr/react-dsfr/Header";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";

import { AppInfoProvider } from "./AppInfoContext";
import { DropOverlay } from "./components/DropOverlay";
import { ImportsProvider } from "./ImportsContext";
import { DossierPage } from "./pages/DossierPage";
import { DossiersPage } from "./pages/DossiersPage";
import { PolicyPage } from "./pages/PolicyPage";
import { SearchPage } from "./pages/SearchPage";
import { SettingsPage } from "./pages/SettingsPage";
import { routeHref, useRoute, type Route } from "./router";

function Screen({ route }: { route: Route }) {
  switch (route.page) {
    case "dossiers":
      return <DossiersPage />;
    case "dossier":
      return (
        <DossierPage key={route.id} id={route.id} document={route.document} pageNumber={route.pageNumber} />
      );
    case "recherche":
      return <SearchPage query={route.query} />;
    case "politique":
      return <PolicyPage />;
    case "parametres":
      return <SettingsPage />;
  }
}

export function App() {
  const route = useRoute();
  const section = route.page === "dossier" ? "dossiers" : route.page;
  return (
    <AppInfoProvider>
      <ImportsProvider>
        <SkipLinks links={[{ label: "Contenu", anchor: "#contenu" }]} />
        <Header
          brandTop={
            <>
              Ministère
              <br />
              de la Justice
            </>
          }
          homeLinkProps={{ href: routeHref({ page: "dossiers" }), title: "Accueil — Permanence" }}
          serviceTitle="Permanence"
          serviceTagline="Lire, orienter et suivre les procédures pénales, hors ligne"
          quickAccessItems={[
            {
              iconId: "fr-icon-settings-5-line",
              text: "Paramètres",
              linkProps: { href: routeHref({ page: "parametres" }) },
            },
          ]}
          navigation={[
            { text: "Dossiers", linkProps: { href: routeHref({ page: "dossiers" }) }, isActive: section === "dossiers" },
            {
              text: "Recherche",
              linkProps: { href: routeHref({ page: "recherche", query: "" }) },
              isActive: section === "recherche",
            },
            {
              text: "Politique pénale",
              linkProps: { href: routeHref({ page: "politique" }) },
              isActive: section === "politique",
            },
            {
              text: "Paramètres",
              linkProps: { href: routeHref({ page: "parametres" }) },
              isActive: section === "parametres",
            },
          ]}
          id="entete"
          disableDisplay
        />
        <main id="contenu" tabIndex={-1} className={route.page === "dossier" ? "main main--wide" : "main"}>
          <Screen route={route} />
        </main>
        <footer className="app-footer" role="contentinfo">
          <p>
            Permanence — toutes les données restent sur cet ordinateur. Aucune connexion réseau n'est ouverte.
          </p>
        </footer>
        <DropOverlay />
      </ImportsProvider>
    </AppInfoProvider>
  );
}
