// The DSFR's own script, shipped in @codegouvfr/react-dsfr without types (see dsfr.ts).
declare module "@codegouvfr/react-dsfr/dsfr/dsfr.module.min.js";
