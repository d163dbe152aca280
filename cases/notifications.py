"""Who hears about a case event. (Being completed: in-app notifications and e-mails.)"""


def event_notify(*, event_id: int) -> None:
    return None
