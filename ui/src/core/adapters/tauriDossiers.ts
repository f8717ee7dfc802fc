import type { Dossiers } from "../ports/Dossiers";
import { command } from "./commands";

export const tauriDossiers: Dossiers = {
  list: () => command("list_dossiers", {}),
};
