"""Background work of the market: the messages about orders (text messages and e-mails) leave from
the worker (`tadamon db_worker`), so that placing or moving an order never waits for a gateway.
Tests use the immediate backend, which sends them at once."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_order_notices(order_id, kind):
    from . import services

    services.send_notices(order_id, kind)


def enqueue_notices(order, kind):
    """Queue the messages; should the queue be down, send them now rather than lose them."""
    try:
        send_order_notices.enqueue(order.pk, kind)
    except Exception:  # noqa: BLE001 - a broken queue must not lose a buyer's message
        logger.exception("could not queue the messages of order %s", order.pk)
        from . import services

        services.send_notices(order.pk, kind)
