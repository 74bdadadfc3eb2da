"""The input contract and reading it: cells, files, validation (pandera schema, relations),
readers, column mappings, the data-source file, the blank templates and the validated frames.
May import scoring.errors and scoring.periods; never the engine, outputs or reports."""
