export default function ComposerPage() {
  return (
    <main className="p-8">
      <h1 className="text-2xl font-semibold">Backdrop</h1>
    </main>
  );
}
