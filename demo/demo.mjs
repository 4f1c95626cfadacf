// The Python memalot README's example, in JavaScript: a string is created every half second
// and kept in a list, so every string is a leak. Memalot reports them within a few seconds.
//   npm run demo                 (DEMO_SECONDS=20 npm run demo to watch it longer)
import { setTimeout as sleep } from 'node:timers/promises';
import { startLeakMonitoring } from 'memalot';

const monitor = startLeakMonitoring({ maxObjectLifetime: 1 });

async function myFunction() {
  const myList = [];
  const end = Date.now() + Number(process.env.DEMO_SECONDS ?? 7) * 1000;
  for (let i = 0; Date.now() < end; i++) {
    myList.push(`Object ${i}`);
    await sleep(500);
  }
  return myList;
}

await myFunction();
await monitor.stop();
console.log(`\nThe demo is over. Its report is saved as ${monitor.reportId} in ${monitor.reportDirectory}.`);
