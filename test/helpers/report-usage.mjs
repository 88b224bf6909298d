// Preloaded into a CLI child process by tests (node --import): on exit, writes the process's peak resident
// memory and its run time to the file named by NHACVIEC_TEST_USAGE_FILE.
import fs from 'node:fs';

const file = process.env.NHACVIEC_TEST_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, ms: Math.round(performance.now()) }));
  });
}
