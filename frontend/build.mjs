// Copy the browser libraries the workbench uses from node_modules into the Python
// package (src/threadline/web/static/vendor/), with their licences. Run by
// `npm run build` (and so by `make install`); the copies are git-ignored.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "src", "threadline", "web", "static", "vendor");

const files = [
  ["cytoscape", "dist/cytoscape.min.js", "cytoscape.min.js"],
  ["cytoscape", "LICENSE", "cytoscape.LICENSE.txt"],
  ["swagger-ui-dist", "swagger-ui-bundle.js", "swagger-ui-bundle.js"],
  ["swagger-ui-dist", "swagger-ui.css", "swagger-ui.css"],
  ["swagger-ui-dist", "LICENSE", "swagger-ui.LICENSE.txt"],
];

mkdirSync(vendor, { recursive: true });
const versions = {};
for (const [pkg, from, to] of files) {
  const root = join(here, "node_modules", pkg);
  copyFileSync(join(root, from), join(vendor, to));
  versions[pkg] = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
}
writeFileSync(join(vendor, "versions.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`vendor libraries copied to ${vendor}: ${JSON.stringify(versions)}`);
