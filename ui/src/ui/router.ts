// Screens are addressed by the URL's hash (#/dossiers/12?document=3&page=4): the window never
// loads another page, and the back and forward keys of the system work.
import { useEffect, useState } from "react";

export type Route =
  | { page: "dossiers" }
  | { page: "dossier"; id: number; document: number | null; pageNumber: number | null }
  | { page: "recherche"; query: string }
  | { page: "activite" }
  | { page: "politique" }
  | { page: "parametres" };

function positive(text: string | null): number | null {
  if (text === null || !/^\d+$/.test(text)) {
    return null;
  }
  const n = Number(text);
  return n > 0 ? n : null;
}

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?", 2);
  const params = new URLSearchParams(search);
  const parts = path.split("/").filter((p) => p !== "");
  switch (parts[0]) {
    case "dossiers": {
      const id = positive(parts[1] ?? null);
      return id === null
        ? { page: "dossiers" }
        : { page: "dossier", id, document: positive(params.get("document")), pageNumber: positive(params.get("page")) };
    }
    case "recherche":
      return { page: "recherche", query: params.get("q") ?? "" };
    case "activite":
      return { page: "activite" };
    case "politique":
      return { page: "politique" };
    case "parametres":
      return { page: "parametres" };
    default:
      return { page: "dossiers" };
  }
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case "dossiers":
      return "#/dossiers";
    case "dossier": {
      const params = new URLSearchParams();
      if (route.document !== null) params.set("document", String(route.document));
      if (route.pageNumber !== null) params.set("page", String(route.pageNumber));
      const search = params.toString();
      return `#/dossiers/${route.id}${search ? `?${search}` : ""}`;
    }
    case "recherche":
      return route.query ? `#/recherche?${new URLSearchParams({ q: route.query }).toString()}` : "#/recherche";
    case "activite":
      return "#/activite";
    case "politique":
      return "#/politique";
    case "parametres":
      return "#/parametres";
  }
}

export function navigate(route: Route, replace = false): void {
  const href = routeHref(route);
  if (replace) {
    window.history.replaceState(null, "", href);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = href;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}
