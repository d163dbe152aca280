import pytest


@pytest.fixture
def media(settings, tmp_path):
    """Files stored during the test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
