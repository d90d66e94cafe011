"""Records every floor above writes: the centre's audit log and residents' reports."""
