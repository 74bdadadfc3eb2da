"""The input contract and reading it: cells, validation (pandera), readers, column mappings, the
data-source file, the blank templates and the validated frames. May import scoring.errors and
scoring.periods; never the engine, outputs or reports."""
