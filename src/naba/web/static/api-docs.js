// naba API docs: reads /openapi.json and lists every operation with a form to try it. Served from the
// package (no CDN, works offline) under the reader's Content-Security-Policy: no inline script, and every
// string from the description or a response is inserted as text (textContent), never as HTML.
"use strict";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function schemaName(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.type === "array") return "[" + schemaName(schema.items) + "]";
  if (schema.anyOf) return schema.anyOf.map(schemaName).join(" | ");
  return schema.type || "";
}

function operationCard(path, method, op) {
  const card = el("section", { class: "op" });
  const id = (method + path).replace(/[^a-z0-9]+/gi, "-");
  card.append(el("h2", { id }, el("code", { class: "method" }, method.toUpperCase()), " ", el("code", {}, path)));
  if (op.summary) card.append(el("p", {}, op.summary));
  const form = el("form", { "data-path": path, "data-method": method });
  for (const param of op.parameters || []) {
    const input = el("input", { name: param.name, "data-in": param.in, dir: "auto" });
    if (param.required) input.setAttribute("required", "");
    const hint = schemaName(param.schema) + (param.required ? ", required" : "");
    form.append(el("label", {}, el("span", {}, param.name + " (" + param.in + ", " + hint + ")"), input));
  }
  if (op.requestBody) {
    form.append(el("label", {}, el("span", {}, "JSON body"), el("textarea", { name: "__body", rows: "4", dir: "ltr" })));
  }
  if (method !== "get") {
    form.append(el("label", {}, el("span", {}, "Bearer token (write scope)"), el("input", { name: "__token", type: "password" })));
  }
  const out = el("pre", { class: "out", dir: "ltr" });
  form.append(el("button", { type: "submit" }, "Send"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form, out);
  });
  const codes = Object.entries(op.responses || {}).map(([code, r]) => {
    const content = (r.content || {})["application/json"] || {};
    return code + " " + (r.description || "") + (content.schema ? " → " + schemaName(content.schema) : "");
  });
  card.append(form, el("p", { class: "codes" }, codes.join(" · ")), out);
  return card;
}

async function send(form, out) {
  let path = form.dataset.path;
  const query = new URLSearchParams();
  const headers = {};
  let body;
  for (const input of form.querySelectorAll("input, textarea")) {
    if (!input.value) continue;
    if (input.name === "__token") headers.Authorization = "Bearer " + input.value;
    else if (input.name === "__body") { body = input.value; headers["Content-Type"] = "application/json"; }
    else if (input.dataset.in === "path") path = path.replace("{" + input.name + "}", encodeURIComponent(input.value));
    else query.append(input.name, input.value);
  }
  const url = path + (query.toString() ? "?" + query : "");
  out.textContent = form.dataset.method.toUpperCase() + " " + url + "\n…";
  const response = await fetch(url, { method: form.dataset.method.toUpperCase(), headers, body });
  const text = await response.text();
  let shown = text;
  try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* a feed: shown as it is */ }
  out.textContent = response.status + " " + response.statusText + "\n" + shown;
}

async function main() {
  const root = document.getElementById("api");
  const spec = await (await fetch("/openapi.json")).json();
  document.title = spec.info.title + " " + spec.info.version;
  root.append(el("p", {}, spec.info.description || ""));
  const nav = el("ul", { class: "toc" });
  root.append(nav);
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const card = operationCard(path, method, op);
      nav.append(el("li", {}, el("a", { href: "#" + card.querySelector("h2").id }, method.toUpperCase() + " " + path)));
      root.append(card);
    }
  }
}

main();
