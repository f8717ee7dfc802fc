import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { lazy, Suspense } from "react";
import { Header } from "@codegouvfr/react-dsfr/Header";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";

import { AppInfoProvider } from "./AppInfoContext";
import { DropOverlay } from "./components/DropOverlay";
import { ScreenBoundary } from "./components/ScreenBoundary";
import { ImportsProvider } from "./ImportsContext";
import { DossiersPage } from "./pages/DossiersPage";
import { routeHref, useRoute, type Route } from "./router";

// The first screen is in the main bundle; the others load when first shown (a faster launch).
const DossierPage = lazy(() => import("./pages/DossierPage").then((m) => ({ default: m.DossierPage })));
const SearchPage = lazy(() => import("./pages/SearchPage").then((m) => ({ default: m.SearchPage })));
const ActivityPage = lazy(() => import("./pages/ActivityPage").then((m) => ({ default: m.ActivityPage })));
const PolicyPage = lazy(() => import("./pages/PolicyPage").then((m) => ({ default: m.PolicyPage })));
const SettingsPage = lazy(() => import("./pages/SettingsPage").then((m) => ({ default: m.SettingsPage })));

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
    case "activite":
      return <ActivityPage />;
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
            <Badge key="hors-ligne" severity="info" small as="span" className="header-offline">
              Hors ligne
            </Badge>,
          ]}
          navigation={[
            { text: "Dossiers", linkProps: { href: routeHref({ page: "dossiers" }) }, isActive: section === "dossiers" },
            {
              text: "Recherche",
              linkProps: { href: routeHref({ page: "recherche", query: "" }) },
              isActive: section === "recherche",
            },
            {
              text: "Activité",
              linkProps: { href: routeHref({ page: "activite" }) },
              isActive: section === "activite",
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
          <ScreenBoundary key={route.page}>
            <Suspense fallback={<p className="loading">Chargement…</p>}>
              <Screen route={route} />
            </Suspense>
          </ScreenBoundary>
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
