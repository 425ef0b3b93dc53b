// The offline API page: each route of /openapi.json with its summary, parameters and body.
import { el } from "./ui.js";

function schemaText(schema, spec) {
  if (!schema) return "";
  const name = schema.$ref?.split("/").pop();
  const resolved = name ? spec.components.schemas[name] : schema;
  if (!resolved.properties) return JSON.stringify(resolved);
  return Object.entries(resolved.properties).map(([key, field]) => {
    const required = (resolved.required || []).includes(key) ? " (required)" : "";
    const type = field.type || field.anyOf?.map((t) => t.type || "object").join(" | ") || "";
    return `${key}: ${type}${required}${field.description ? ` — ${field.description}` : ""}`;
  }).join("\n");
}

async function show() {
  const spec = await (await fetch("/openapi.json")).json();
  const box = document.getElementById("routes");
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, route] of Object.entries(methods)) {
      const body = route.requestBody?.content?.["application/json"]?.schema
        || route.requestBody?.content?.["multipart/form-data"]?.schema;
      const params = (route.parameters || []).map((p) => `${p.name} (${p.in})`).join(", ");
      box.append(el("article", { class: "card" },
        el("h2", {}, el("code", { text: `${method.toUpperCase()} ${path}` })),
        el("p", { text: route.description || route.summary || "" }),
        params ? el("p", { class: "note", text: `Parameters: ${params}` }) : null,
        body ? el("pre", { class: "note", text: schemaText(body, spec) }) : null));
    }
  }
}

show();
