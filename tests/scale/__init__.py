"""The scaled set-up under load and faults: Rasa replicas and action servers behind nginx, on
PostgreSQL and Redis (``pytest -m scale``)."""
