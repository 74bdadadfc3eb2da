"""Writing a run's outputs: tables (Parquet, CSV, Excel), the manifest and the atomic run folder.
Imports the engine's result types; never reports or the CLI."""
