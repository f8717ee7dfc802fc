import { Select } from "@codegouvfr/react-dsfr/Select";

import type { Choice } from "../../core";

/** A filter of a list: « all » first, then each choice (statuses, offence families...). */
export function FilterSelect({
  label,
  all,
  choices,
  value,
  onChange,
}: {
  label: string;
  /** The first option, which filters nothing (« Toutes les infractions »). */
  all: string;
  choices: Choice[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Select
      className="filters__select"
      label={label}
      nativeSelectProps={{ value, onChange: (e) => onChange(e.target.value) }}
    >
      <option value="">{all}</option>
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {c.label}
        </option>
      ))}
    </Select>
  );
}
