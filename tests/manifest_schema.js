// Validates a Teams app manifest (JSON on stdin) against the schema of its manifestVersion, as
// shipped by the @microsoft/app-manifest npm package, with the same validator settings that
// package uses. Prints {"newest": <newest released schema version it ships>, "errors": [...]}.
"use strict";
const fs = require("fs");
const path = require("path");
// The validator is the package's own dependency, found from the package wherever npm put it.
const packageDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
const Ajv = require(require.resolve("ajv-draft-04", { paths: [packageDir] }));
const addFormats = require(require.resolve("ajv-formats", { paths: [packageDir] }));

const schemas = path.join(packageDir, "build", "json-schemas", "teams");
const released = fs.readdirSync(schemas).filter((name) => /^v\d+\.\d+$/.test(name))
  .map((name) => name.slice(1))
  .sort((a, b) => a.split(".").map(Number)[0] - b.split(".").map(Number)[0]
    || a.split(".").map(Number)[1] - b.split(".").map(Number)[1]);

const manifest = JSON.parse(fs.readFileSync(0, "utf8"));
const schema = JSON.parse(fs.readFileSync(
  path.join(schemas, `v${manifest.manifestVersion}`, "MicrosoftTeams.schema.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strictTypes: false });
addFormats(ajv, ["uri", "email", "regex"]);
const validate = ajv.compile(schema);
const errors = validate(manifest) ? [] : validate.errors.map(
  (error) => `${error.instancePath} ${error.message || ""} ${JSON.stringify(error.params || {})}`);
process.stdout.write(JSON.stringify({ newest: released[released.length - 1], errors }) + "\n");
