//! The worker's OpenAPI 3 document, served at `GET /v1/openapi.json`.
use serde_json::{json, Value};

/// The OpenAPI 3.0 description of the worker's HTTP API.
pub fn document() -> Value {
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let error_response = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": error } } });
    let retry_after = json!({ "Retry-After": { "description": "Seconds to wait before retrying.", "schema": { "type": "integer" } } });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "FCAS worker",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Stateless static-analysis worker. POST a file, get the same report a local `fcas scan` gives, plus provenance.worker."
        },
        "paths": {
            "/v1/analyze": {
                "post": {
                    "summary": "Analyse one file",
                    "security": [{ "bearer": [] }],
                    "parameters": [
                        { "name": "x-fcas-filename", "in": "header", "required": false, "description": "The file's name or path as the analyst gave it; becomes the report's `path`.", "schema": { "type": "string" } },
                        { "name": "x-fcas-sha256", "in": "header", "required": false, "description": "Expected SHA-256 of the body (hex). A mismatch is refused with 400; retries of one file are the same analysis.", "schema": { "type": "string", "pattern": "^[0-9a-f]{64}$" } },
                        { "name": "max_size", "in": "query", "required": false, "description": "Refuse files larger than this many bytes (0: the worker's cap, which also bounds it).", "schema": { "type": "integer", "minimum": 0 } },
                        { "name": "no_disasm", "in": "query", "required": false, "description": "Skip disassembly.", "schema": { "type": "boolean" } },
                        { "name": "no_models", "in": "query", "required": false, "description": "Skip model predictions.", "schema": { "type": "boolean" } },
                        { "name": "no_rules", "in": "query", "required": false, "description": "Skip the YARA rules stage.", "schema": { "type": "boolean" } },
                        { "name": "min_string_len", "in": "query", "required": false, "description": "Minimum length of reported strings (0: the engine's default).", "schema": { "type": "integer", "minimum": 0 } }
                    ],
                    "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                    "responses": {
                        "200": { "description": "The report (also when the analysis failed: see `errors`).", "headers": { "x-fcas-worker": { "schema": { "type": "string" } } }, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Report" } } } },
                        "400": error_response("Malformed request (e.g. SHA-256 mismatch)."),
                        "401": error_response("Missing or wrong bearer token."),
                        "408": error_response("The request took longer than the worker's request timeout."),
                        "413": error_response("The body is larger than the worker's size cap."),
                        "503": { "description": "Every analysis slot is busy, or the worker is draining.", "headers": retry_after, "content": { "application/json": { "schema": error } } }
                    }
                }
            },
            "/v1/health": { "get": { "summary": "Liveness", "responses": { "200": { "description": "The process is alive." } } } },
            "/v1/ready": { "get": { "summary": "Readiness", "responses": { "200": { "description": "Analysis children started and models loaded." }, "503": { "description": "Starting or draining." } } } },
            "/v1/version": { "get": { "summary": "Engine, schema and model versions", "responses": { "200": { "description": "Versions.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Version" } } } } } } },
            "/metrics": { "get": { "summary": "Prometheus metrics", "responses": { "200": { "description": "Text exposition format 0.0.4.", "content": { "text/plain": { "schema": { "type": "string" } } } } } } },
            "/v1/openapi.json": { "get": { "summary": "This document", "responses": { "200": { "description": "OpenAPI 3 document." } } } }
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error", "message"], "properties": { "error": { "type": "string" }, "message": { "type": "string" } } },
                "Version": { "type": "object", "properties": {
                    "engine_version": { "type": "string" }, "schema_version": { "type": "integer" }, "worker": { "type": "string" },
                    "models": { "type": "array", "items": { "type": "object", "properties": { "model": { "type": "string" }, "version": { "type": "string" } } } },
                    "rules": { "type": "string", "description": "The id (SHA-256) of the YARA rule set the worker runs." }
                } },
                "Report": { "type": "object", "description": "The FCAS report (see the report crate); fields may grow, never change meaning within a schema_version.", "additionalProperties": true,
                    "properties": { "schema_version": { "type": "integer" }, "path": { "type": "string" }, "size": { "type": "integer" }, "hashes": { "type": "object" }, "provenance": { "type": "object", "properties": { "worker": { "type": "string", "nullable": true } } }, "errors": { "type": "array" } } }
            }
        }
    })
}
