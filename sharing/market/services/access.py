"""Who may see and manage a listing: the two rules every market service checks (decided here, once).

- A listing is managed by its owner and by every member of the organisation it belongs to.
- Deleted listings are gone for everyone; hidden ones (by the centre) show only to their managers and
  the centre.
"""

from __future__ import annotations

from ..models import Listing


def manages(user, listing: Listing) -> bool:
    """The listing's owner, or a member of the organisation it belongs to."""
    if user is None or not getattr(user, "is_authenticated", True):
        return False
    return listing.owner_id == user.id or (
        listing.organization_id is not None and user.member_of(listing.organization_id)
    )


def can_see(user, listing: Listing) -> bool:
    if listing.status == "deleted":
        return False
    if listing.hidden_at is None:
        return True
    return user is not None and (getattr(user, "is_centre", False) or manages(user, listing))
