"""The criteria language: the typed model, the YAML loader and its checks, the expression
language and the names each place may use. Imports only scoring.errors, scoring.periods and
scoring.inputs.contract (never the engine, outputs, reports or the CLI)."""
