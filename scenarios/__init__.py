"""Shipped scenarios: one YAML file per governance model (package data)."""
