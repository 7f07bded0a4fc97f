// Preloaded into a child (`node --import tsx --import ./scripts/lib/report-max-rss.ts …`): on exit it
// writes the process's peak resident set size, in bytes, to the file named by BENCH_MAX_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MAX_RSS_FILE;
if (file) {
  process.on('exit', () => {
    // resourceUsage().maxRSS is in kilobytes.
    writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
  });
}
