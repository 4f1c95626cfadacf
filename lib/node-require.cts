// Node's own require(), for memalot's CommonJS entries. Jest runs tests as CommonJS in a vm
// context of its own, where neither require() of an ES module nor import() works (before
// Node 24.9, and without --experimental-vm-modules); memalot is an ES module. The vm module is
// Node's even in Jest, and code run in Node's main context sees the real `process`, whose
// getBuiltinModule gives Node's real module loader: its require() loads ES modules (Node 20.19
// on). Outside Jest this is the plain require() of the file.
import vm = require('node:vm');

function nodeRequire(filename: string): NodeJS.Require {
  const nodeProcess = vm.runInThisContext('process') as NodeJS.Process;
  return nodeProcess.getBuiltinModule('node:module').createRequire(filename);
}

export = nodeRequire;
