import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "node_modules", "public", "screens/.build"] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.strict],
    files: ["**/*.{ts,tsx,js}"],
    languageOptions: {
      ecmaVersion: 2022,
      globals: globals.browser,
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // ui/ never reaches Tauri directly: only the command wrapper in core/adapters does.
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@tauri-apps/*"], message: "Passer par src/core (adaptateurs)." }] },
      ],
    },
  },
  {
    // The core adapters, and tests (which mock the Tauri bridge with @tauri-apps/api/mocks).
    files: ["src/core/**/*.{ts,tsx}", "src/**/*.test.{ts,tsx}", "src/test/**", "screens/**"],
    rules: { "no-restricted-imports": "off" },
  },
);
