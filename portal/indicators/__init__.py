"""The plan's indicators: anonymous usage counts, the dashboard's figures and the open data."""
