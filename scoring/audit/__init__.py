"""Tools for auditors: worked examples, criteria diffs, verification of a finished run and the text
explanation of one person. May import the engine, rules, inputs and outputs; never reports."""
