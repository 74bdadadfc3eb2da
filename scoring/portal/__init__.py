"""The web portal: HR runs a period in a browser, heads receive their units' reports.

The portal stores accounts, runs and an append-only access log in a database (SQLite by default,
PostgreSQL by URL) and calls the same run, report and audit functions as the CLI.
"""
