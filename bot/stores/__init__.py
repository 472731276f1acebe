"""Rasa's stores, configured from URLs in the environment (endpoints.yml names these classes)."""
