import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useState } from "react";

import type { WireError } from "../../core";
import { ErrorBanner } from "../components/ErrorBanner";
import { errorText } from "../shared/errors";
import { useSession } from "./SessionContext";

/** As the engine requires (`crypto::MIN_PASSPHRASE_CHARS`). */
export const MIN_PASSPHRASE_CHARS = 8;
const PASSPHRASE_ID = "phrase-de-passe";

/** The screen of a locked app: the passphrase, or a new one (twice) for a new data directory. */
export function UnlockPage() {
  const { state, unlock } = useSession();
  const isNew = state.new_data_dir;
  const [passphrase, setPassphrase] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const [busy, setBusy] = useState(false);

  const focusField = () => document.getElementById(PASSPHRASE_ID)?.focus();
  useEffect(focusField, []);

  const submit = async () => {
    setError(null);
    setConfirmError(null);
    if ([...passphrase].length < (isNew ? MIN_PASSPHRASE_CHARS : 1)) {
      setFieldError(
        isNew
          ? `La phrase de passe doit compter au moins ${MIN_PASSPHRASE_CHARS} caractères.`
          : "Saisissez votre phrase de passe.",
      );
      focusField();
      return;
    }
    setFieldError(null);
    if (isNew && confirmation !== passphrase) {
      setConfirmError("Les deux saisies diffèrent. Saisissez la même phrase de passe.");
      document.getElementById(`${PASSPHRASE_ID}-confirmation`)?.focus();
      return;
    }
    setBusy(true);
    const r = await unlock(passphrase);
    setBusy(false);
    if (r.ok) return;
    if (r.error.code === "crypto.wrong_passphrase") {
      setFieldError("Phrase de passe incorrecte. Vérifiez la saisie (majuscules, accents) et recommencez.");
      setPassphrase("");
      focusField();
    } else if (r.error.code === "crypto.passphrase_too_short") {
      setFieldError(errorText(r.error).detail);
      focusField();
    } else setError(r.error);
  };

  return (
    <section className="page unlock" aria-labelledby="unlock-title">
      <h1 id="unlock-title">{isNew ? "Protéger les données de ce poste" : "Permanence est verrouillée"}</h1>
      <p className="page__lead">
        {isNew
          ? "Choisissez une phrase de passe. Elle chiffre, sur cet ordinateur, tout ce qui concerne les dossiers\u00a0: la base, les originaux, l'index de recherche et les actes."
          : "Saisissez votre phrase de passe pour ouvrir les dossiers de ce poste."}
      </p>
      {state.problem ? (
        <ErrorBanner error={state.problem} />
      ) : (
        <>
          {error && <ErrorBanner error={error} />}
          {isNew && (
            <Alert
              severity="warning"
              as="h2"
              small={false}
              className="fr-mb-3w"
              title="Retenez bien cette phrase de passe"
              description={
                "Si elle est perdue, les données sont perdues\u00a0: personne, pas même le support informatique, ne peut les récupérer."
              }
            />
          )}
          <form
            className="unlock__form"
            aria-labelledby="unlock-title"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <Input
              label="Phrase de passe"
              hintText={isNew ? `Au moins ${MIN_PASSPHRASE_CHARS} caractères\u00a0; une phrase de plusieurs mots est plus sûre.` : undefined}
              state={fieldError ? "error" : "default"}
              stateRelatedMessage={fieldError ?? undefined}
              nativeInputProps={{
                id: PASSPHRASE_ID,
                type: "password",
                value: passphrase,
                autoComplete: isNew ? "new-password" : "current-password",
                onChange: (e) => setPassphrase(e.target.value),
                disabled: busy,
              }}
            />
            {isNew && (
              <Input
                label="Confirmez la phrase de passe"
                state={confirmError ? "error" : "default"}
                stateRelatedMessage={confirmError ?? undefined}
                nativeInputProps={{
                  id: `${PASSPHRASE_ID}-confirmation`,
                  type: "password",
                  value: confirmation,
                  autoComplete: "new-password",
                  onChange: (e) => setConfirmation(e.target.value),
                  disabled: busy,
                }}
              />
            )}
            <Button type="submit" iconId="fr-icon-lock-unlock-line" disabled={busy}>
              {busy ? "Ouverture…" : isNew ? "Chiffrer et ouvrir" : "Déverrouiller"}
            </Button>
          </form>
        </>
      )}
      <p className="fr-text--sm fr-mt-3w">
        Dossier de données{"\u00a0"}: <span className="settings__path">{state.data_dir || "aucun"}</span>
      </p>
    </section>
  );
}
