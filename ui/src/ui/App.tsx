import { AppHeader } from "./components/AppHeader";
import { DossiersPage } from "./pages/DossiersPage";

export function App() {
  return (
    <>
      <AppHeader />
      <main className="main">
        <DossiersPage />
      </main>
    </>
  );
}
