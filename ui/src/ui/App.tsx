import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { lazy, Suspense } from "react";
import { Header } from "@codegouvfr/react-dsfr/Header";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";

import { AppInfoProvider } from "./AppInfoContext";
import { DropOverlay } from "./components/DropOverlay";
import { ErrorBanner } from "./components/ErrorBanner";
import { ScreenBoundary } from "./components/ScreenBoundary";
import { ImportsProvider } from "./ImportsContext";
import { DossiersPage } from "./pages/DossiersPage";
import { routeHref, useRoute, type Route } from "./router";
import { SessionProvider, useSession } from "./session/SessionContext";
import { UnlockPage } from "./session/UnlockPage";

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

const BRAND = (
  <>
    Ministère
    <br />
    de la Justice
  </>
);
const OFFLINE = (
  <Badge key="hors-ligne" severity="info" small as="span" className="header-offline">
    Hors ligne
  </Badge>
);

function Footer() {
  return (
    <footer className="app-footer" role="contentinfo">
      <p>Permanence — toutes les données restent sur cet ordinateur. Aucune connexion réseau n'est ouverte.</p>
    </footer>
  );
}

/** Before the session is known, or when the shell cannot say. */
function Bare({ children }: { children: React.ReactNode }) {
  return (
    <>
      <Header brandTop={BRAND} homeLinkProps={{ href: "#", title: "Accueil — Permanence" }} serviceTitle="Permanence" id="entete" disableDisplay />
      <main id="contenu" tabIndex={-1} className="main">
        {children}
      </main>
      <Footer />
    </>
  );
}

export function App() {
  return (
    <SessionProvider fallback={(error) => <Bare><ErrorBanner error={error} /></Bare>}>
      <Session />
    </SessionProvider>
  );
}

function Session() {
  const { state } = useSession();
  if (state.locked)
    return (
      <Bare>
        <UnlockPage />
      </Bare>
    );
  return <Unlocked />;
}

function Unlocked() {
  const route = useRoute();
  const { lock } = useSession();
  const section = route.page === "dossier" ? "dossiers" : route.page;
  return (
    <AppInfoProvider>
      <ImportsProvider>
        <SkipLinks links={[{ label: "Contenu", anchor: "#contenu" }]} />
        <Header
          brandTop={BRAND}
          homeLinkProps={{ href: routeHref({ page: "dossiers" }), title: "Accueil — Permanence" }}
          serviceTitle="Permanence"
          serviceTagline="Lire, orienter et suivre les procédures pénales, hors ligne"
          quickAccessItems={[
            OFFLINE,
            {
              iconId: "fr-icon-lock-line",
              text: "Verrouiller",
              buttonProps: { onClick: () => void lock(), title: "Verrouiller Permanence (la phrase de passe sera demandée)" },
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
        <Footer />
        <DropOverlay />
      </ImportsProvider>
    </AppInfoProvider>
  );
}
