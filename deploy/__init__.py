"""Deployment files for the scaled set-up (nginx template, docker-compose, Helm values) and their helpers."""
