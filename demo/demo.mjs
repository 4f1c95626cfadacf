// Two small leaks, and what memalot says about them:
//  - the Python memalot README's example, in JavaScript: a string is created every half second
//    and kept in a list that a long-running async function holds;
//  - a cache of sessions that is never evicted: a module-level Map, as in many a web server.
// Memalot reports both within a few seconds, with what keeps each object alive.
//   npm run demo                 (DEMO_SECONDS=20 npm run demo to watch it longer)
import { setTimeout as sleep } from 'node:timers/promises';
import { startLeakMonitoring } from 'memalot';

// A few objects in detail keep the demo's output short; the default is 30.
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, maxObjectDetails: 3 });

class Session {
  constructor(id, user) {
    this.id = id;
    this.user = user;
  }
}

const sessionCache = new Map();

function openSession(i) {
  const session = new Session(`sess-${i}`, `user-${i % 7}`);
  sessionCache.set(session.id, session);
  return session;
}

async function myFunction() {
  const myList = [];
  const end = Date.now() + Number(process.env.DEMO_SECONDS ?? 7) * 1000;
  for (let i = 0; Date.now() < end; i++) {
    myList.push(`Object ${i}`);
    openSession(i);
    await sleep(500);
  }
  return myList;
}

await myFunction();
await monitor.stop();
console.log(`\nThe demo is over. Its report is saved as ${monitor.reportId} in ${monitor.reportDirectory}.`);
