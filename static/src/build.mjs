// Builds the front end into static/build/ (git-ignored): our Sass compiled
// against the pinned GOV.UK and MOJ Frontend packages, their JavaScript, and
// GOV.UK's images. Fonts are not copied: GDS Transport is for GOV.UK only.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "static/build";
mkdirSync(`${out}/assets`, { recursive: true });

const result = sass.compile("static/src/scss/pods.scss", {
  loadPaths: [".", "node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
  logger: sass.Logger.silent,
});
writeFileSync(`${out}/pods.css`, result.css);

cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", `${out}/moj-frontend.min.js`);
cpSync("node_modules/govuk-frontend/dist/govuk/assets/images", `${out}/assets/images`, { recursive: true });
cpSync("node_modules/@ministryofjustice/frontend/moj/assets/images", `${out}/assets/images`, { recursive: true });
cpSync("static/src/js", `${out}/js`, { recursive: true });
console.log(`front end built into ${out}/`);
