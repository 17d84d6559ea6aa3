"""Queries and median render time of one page in-process, as bench/probe.py measures
the CMS's: django.test.Client, after a warm-up. Prints JSON."""

import json
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--samples", type=int, default=100)

    def handle(self, *args, path, samples, **options):
        client = Client(HTTP_HOST="localhost")
        for _ in range(20):
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        # Read now: each request's start empties the connection's query log.
        count = len(queries.captured_queries)
        timings = []
        for _ in range(samples):
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        result = {
            "queries": count,
            "render_ms": statistics.median(timings),
        }
        self.stdout.write(json.dumps(result))
