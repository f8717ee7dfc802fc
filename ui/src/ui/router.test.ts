import { describe, expect, it } from "vitest";

import { parseRoute, routeHref, type Route } from "./router";

describe("router", () => {
  it("reads every screen from the hash", () => {
    expect(parseRoute("")).toEqual({ page: "dossiers" });
    expect(parseRoute("#/dossiers")).toEqual({ page: "dossiers" });
    expect(parseRoute("#/dossiers/12")).toEqual({ page: "dossier", id: 12, document: null, pageNumber: null });
    expect(parseRoute("#/dossiers/12?document=3&page=4")).toEqual({ page: "dossier", id: 12, document: 3, pageNumber: 4 });
    expect(parseRoute("#/recherche?q=garde%20%C3%A0%20vue")).toEqual({ page: "recherche", query: "garde à vue" });
    expect(parseRoute("#/politique")).toEqual({ page: "politique" });
    expect(parseRoute("#/parametres")).toEqual({ page: "parametres" });
    expect(parseRoute("#/nulle-part")).toEqual({ page: "dossiers" });
    expect(parseRoute("#/dossiers/abc")).toEqual({ page: "dossiers" });
  });

  it("writes hashes that read back the same", () => {
    const routes: Route[] = [
      { page: "dossiers" },
      { page: "dossier", id: 7, document: null, pageNumber: null },
      { page: "dossier", id: 7, document: 9, pageNumber: 2 },
      { page: "recherche", query: "éthylomètre récidive" },
      { page: "recherche", query: "" },
      { page: "politique" },
      { page: "parametres" },
    ];
    for (const route of routes) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
  });
});
