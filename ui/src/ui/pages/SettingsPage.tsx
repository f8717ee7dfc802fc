import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useState } from "react";

import type { Profile, WireError } from "../../core";
import { useAppInfo } from "../AppInfoContext";
import { useCore } from "../CoreContext";
import { ErrorBanner } from "../components/ErrorBanner";
import { useSession } from "../session/SessionContext";

const FUNCTIONS = [
  "substitut du procureur de la République",
  "vice-procureur de la République",
  "procureur de la République adjoint",
  "procureur de la République",
  "premier vice-procureur de la République",
];

export function SettingsPage() {
  const { settings } = useCore();
  const info = useAppInfo();
  const [profile, setProfile] = useState<Profile>({ name: "", function: "", court: "" });
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<WireError | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    let live = true;
    void settings.profile().then((r) => {
      if (!live) return;
      if (r.ok) setProfile(r.value);
      else setError(r.error);
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [settings]);

  const change = (field: keyof Profile) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setSaved(false);
    setProfile((p) => ({ ...p, [field]: e.target.value }));
  };

  const save = async () => {
    if (profile.name.trim() === "") {
      setMissing(true);
      return;
    }
    setMissing(false);
    setSaving(true);
    setError(null);
    const r = await settings.saveProfile({
      name: profile.name.trim(),
      function: profile.function.trim(),
      court: profile.court.trim(),
    });
    setSaving(false);
    if (r.ok) {
      setProfile(r.value);
      setSaved(true);
    } else setError(r.error);
  };

  return (
    <section className="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Paramètres</h1>
      <p className="page__lead">Qui décide sur ce poste, et où sont ses données.</p>
      {error && <ErrorBanner error={error} />}
      <form
        className="settings__form fr-mb-5w"
        aria-labelledby="profile-title"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2 id="profile-title" className="fr-h5">
          Magistrat
        </h2>
        <p className="fr-text--sm">Ces informations sont inscrites dans chaque décision et au journal.</p>
        <Input
          label="Prénom et nom"
          hintText="Par exemple Claire DURAND"
          state={missing ? "error" : "default"}
          stateRelatedMessage={missing ? "Indiquez votre nom." : undefined}
          nativeInputProps={{ value: profile.name, onChange: change("name"), autoComplete: "name", disabled: !loaded }}
        />
        <Input
          label="Fonction"
          hintText="Par exemple substitut du procureur de la République"
          nativeInputProps={{ value: profile.function, onChange: change("function"), list: "fonctions", disabled: !loaded }}
        />
        <datalist id="fonctions">
          {FUNCTIONS.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        <Input
          label="Tribunal judiciaire"
          hintText="Par exemple Melun"
          nativeInputProps={{ value: profile.court, onChange: change("court"), disabled: !loaded }}
        />
        <Button type="submit" disabled={saving || !loaded}>
          {saving ? "Enregistrement…" : "Enregistrer"}
        </Button>
        {saved && <Alert severity="success" role="status" small className="fr-mt-2w" description="Profil enregistré." />}
      </form>

      <LockDelay />

      <section aria-labelledby="data-title">
        <h2 id="data-title" className="fr-h5">
          Données
        </h2>
        <dl className="policy__meta">
          <div>
            <dt>Dossier de données</dt>
            <dd className="settings__path">{info?.data_dir ?? "…"}</dd>
          </div>
          <div>
            <dt>Version de Permanence</dt>
            <dd>{info?.version ?? "…"}</dd>
          </div>
        </dl>
        <p className="fr-text--sm">
          Tout est dans ce dossier{"\u00a0"}: la base des dossiers et du journal, les fichiers originaux, l'index de
          recherche, les actes, chiffrés, et la clé de chiffrement (permanence.key). Le sauvegarder suffit à tout
          sauvegarder. Pour en utiliser un autre, lancez Permanence avec la variable d'environnement PERMANENCE_DATA.
        </p>
      </section>
    </section>
  );
}

/** Minutes without activity before the app locks itself. */
function LockDelay() {
  const session = useSession();
  const [minutes, setMinutes] = useState(String(session.state.lock_minutes));
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<WireError | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async () => {
    const value = Number(minutes);
    setSaved(false);
    setError(null);
    if (!Number.isInteger(value) || value < 1 || value > 600) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    const r = await session.setLockMinutes(value);
    if (r.ok) {
      setMinutes(String(r.value));
      setSaved(true);
    } else setError(r.error);
  };

  return (
    <form
      className="settings__form fr-mb-5w"
      aria-labelledby="lock-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="lock-title" className="fr-h5">
        Verrouillage
      </h2>
      <p className="fr-text--sm">
        Sans activité pendant ce délai, Permanence se verrouille{"\u00a0"}: la phrase de passe est demandée de nouveau et
        les actes ouverts dans le traitement de texte sont effacés de leur dossier temporaire.
      </p>
      {error && <ErrorBanner error={error} />}
      <Input
        label="Délai avant verrouillage (en minutes)"
        hintText={"De 1 à 600 minutes\u00a0; 10 par défaut."}
        state={invalid ? "error" : "default"}
        stateRelatedMessage={invalid ? "Indiquez un nombre entier de minutes, de 1 à 600." : undefined}
        nativeInputProps={{
          inputMode: "numeric",
          value: minutes,
          onChange: (e) => {
            setSaved(false);
            setMinutes(e.target.value);
          },
        }}
      />
      <Button type="submit" priority="secondary">
        Enregistrer le délai
      </Button>
      {saved && (
        <Alert severity="success" role="status" small className="fr-mt-2w" description="Délai de verrouillage enregistré." />
      )}
    </form>
  );
}
