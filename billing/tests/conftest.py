import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Statement PDFs of a test go to its own folder, never to .data/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
