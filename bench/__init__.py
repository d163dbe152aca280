"""`python -m bench` (`make bench`): generated data of realistic size, and how fast the case pages answer
over it. The benchmark lives outside the Django apps: it is a tool run against the portal, not part of it.

cli.py is the command (its options, and the child processes it runs), database.py makes the benchmark's own
database, generate.py fills it (words.py writes the texts), measure.py times the pages in-process, load.py
drives them under gunicorn, report.py prints the table; soak.py is the load test (`--soak`), billing.py
the monthly statements (`--billing`), monitoring.py the monitoring ingestion and status page (`--monitoring`).
"""


class BenchError(Exception):
    """A failure the command reports in one line (exit code 1) rather than with a traceback."""
