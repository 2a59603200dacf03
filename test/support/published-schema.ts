import fs from "node:fs";
import path from "node:path";
import addFormats from "ajv-formats";
import Ajv2020 from "ajv/dist/2020";

export const SPEC_PATH = path.resolve(import.meta.dirname, "../../../shared/spec/claid-scene-openapi.json");

/** The published JSON schema for one component, judged by ajv (draft 2020-12 + formats). */
export function publishedValidator(component = "SceneCreateAPIIn") {
  const spec = JSON.parse(fs.readFileSync(SPEC_PATH, "utf8")) as Record<string, unknown>;
  // OpenAPI wraps the schemas; strict mode would reject OpenAPI's own keywords around them.
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  ajv.addSchema({ ...spec, $id: "claid" });
  const validate = ajv.getSchema(`claid#/components/schemas/${component}`);
  if (!validate) throw new Error(`No schema ${component} in ${SPEC_PATH}`);
  return (body: unknown) => validate(body) === true;
}
