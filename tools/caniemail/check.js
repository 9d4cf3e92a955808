// Checks rendered HTML messages against caniemail.com's data for Outlook on Windows
// (the Word engine), with @jsx-email/doiuse-email: an independent opinion on what the
// legacy transform and the shipped templates produce.
//
// usage: node tools/caniemail/check.js FILE.html...   (exit 1 when a file fails)
//
// One feature is allowed by design: `@media`, which the legacy transform keeps in <head>
// as progressive enhancement for clients that honour it; Outlook ignores it, and the
// desktop layout does not depend on it (docs/templates.md).
'use strict';
const fs = require('fs');
const { doIUseEmail } = require('@jsx-email/doiuse-email');

const allowed = new Set(['`@media` is not supported by `outlook.windows`']);
let failed = false;
for (const file of process.argv.slice(2)) {
  const result = doIUseEmail(fs.readFileSync(file, 'utf8'), { emailClients: ['outlook.windows'] });
  const problems = (result.errors || []).filter((e) => !allowed.has(e));
  if (problems.length) {
    failed = true;
    for (const p of problems) console.log(`${file}: ${p}`);
  } else {
    console.log(`${file}: ok`);
  }
}
process.exit(failed ? 1 : 0);
