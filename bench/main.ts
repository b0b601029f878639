/**
 * `npm run bench`: runs every `bench/*.bench.ts` in name order and prints its figures.
 * A file exports `name` and `run()`, which prints its own table. `npm run bench -- host`
 * runs only the files whose name contains `host`.
 */
import { readdirSync } from 'node:fs';

interface BenchModule {
  name: string;
  run(): Promise<void>;
}

const filter = process.argv[2];
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts') && (filter === undefined || f.includes(filter)))
  .sort();

for (const file of files) {
  const mod = (await import(new URL(file, import.meta.url).href)) as BenchModule;
  console.log(`\n## ${mod.name}`);
  await mod.run();
}
