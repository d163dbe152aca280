"""/api/: the monitoring agents' ingestion endpoint, its OpenAPI schema and its documentation page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import api, api_docs

app_name = "api"

# The API authenticates with its own tokens (monitoring.api.AgentTokenAuthentication), not the session.
urlpatterns = [
    path("monitoring/results/", login_not_required(api.results_view), name="monitoring-results"),
    path("schema/", login_not_required(api_docs.SchemaView.as_view()), name="schema"),
    path("docs/", api_docs.api_docs, name="docs"),
]
