"""`manage.py bench`: generated data of realistic size, and how fast the case pages answer over it.

database.py makes the benchmark's own database, generate.py fills it (words.py writes the texts),
measure.py times the pages in-process, load.py drives them under gunicorn, report.py prints the table.
"""
