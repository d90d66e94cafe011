"""The trade card's HTML pages (blueprint ``card``, defined in :mod:`.base` with what the pages
share), one module per topic: ``resident`` (the card, top-up, shops, paying, a receipt), ``shop`` (a
shop's desk, QR code, refunds, statement), ``desk`` (a payout request, and the centre's desk for the
money's second phase) and ``fund`` (the fund's public summary, the centre's figures and the audit).
The published checkpoints have their own blueprint (``card_ledger``, :mod:`sharing.card.ledger_views`).
"""

from __future__ import annotations

from . import desk, fund, resident, shop
from .base import bp

__all__ = ["bp", "desk", "fund", "resident", "shop"]
