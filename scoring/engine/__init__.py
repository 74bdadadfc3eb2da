"""The pure scoring engine: (criteria, input frames, period) -> scores, explanations, unit summary.
No I/O, clock or randomness; imports the rules and the inputs' contract/frames, never readers,
outputs, reports, the CLI or run."""
