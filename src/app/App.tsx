export function App() {
  return (
    <main>
      <h1>MassPay Wallet Console</h1>
      <p>The console is being built. Payee lookup, wallets and autopay rules will appear here.</p>
    </main>
  );
}
