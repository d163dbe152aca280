from .models import ConsultantStatus


def consultant_availability(request):
    """The header's available/away switch, for staff who work cases."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("cases.work_case"):
        return {}
    status = ConsultantStatus.objects.filter(user=user).only("is_available").first()
    return {"consultant_available": bool(status and status.is_available), "shows_availability": True}
