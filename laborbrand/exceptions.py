class InvalidTransition(Exception):
    """A move the record's current state does not allow (or a rule it breaks); the message says why.

    Services raise it; views show the message and change nothing.
    """
