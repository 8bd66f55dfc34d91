import { openPopulationBenchDatabase } from './population.ts';
const t = performance.now();
const b = await openPopulationBenchDatabase((l) => process.stdout.write(`${new Date().toISOString()} ${l}\n`));
console.log(JSON.stringify(b.report), ((performance.now() - t) / 1000).toFixed(1), 's');
await b.close();
