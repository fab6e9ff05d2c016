// Validates an OpenAPI document (a file path, or "-" for standard input) against the official JSON schema of its version.
// Prints {"valid": true, "version": "3.1"} or {"valid": false, "errors": [...]} and exits 0 or 1.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

const source = process.argv[2] ?? "-";
const text = readFileSync(source === "-" ? 0 : source, "utf8");
const validator = new Validator();
const result = await validator.validate(JSON.parse(text));
console.log(JSON.stringify(result.valid ? { valid: true, version: validator.version } : { valid: false, errors: result.errors }));
process.exit(result.valid ? 0 : 1);
